@testable import BizOneConfig
import BizOneModel
import Foundation
import Testing

struct SecretCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var secret: String
    var needle: String
    var message: String
    var testDescription: String { name }
}

private let forwardRoute = """
apiVersion: bizone/v1
kind: WebhookRoute
metadata:
  name: crm
spec:
  actions:
    - type: forward
      url: https://crm.example.com/hook
      secret: whsec_topsecret42

"""

let secretCases: [SecretCase] = [
    SecretCase(name: "access token written as a value",
               yaml: YAML.integration.replacingOccurrences(of: "accessToken: {env: META_ACCESS_TOKEN}", with: "accessToken: EAAGsupersecret"),
               secret: "EAAGsupersecret", needle: "EAAGsupersecret",
               message: "spec.accessToken must be a secret reference, not a value"),
    SecretCase(name: "app secret written as digits",
               yaml: YAML.integration.replacingOccurrences(of: "appSecret: {env: META_APP_SECRET}", with: "appSecret: 8675309123456"),
               secret: "8675309123456", needle: "8675309123456",
               message: "spec.appSecret must be a secret reference, not a value"),
    SecretCase(name: "verify token under a made-up key",
               yaml: YAML.integration.replacingOccurrences(of: "verifyToken: {env: META_VERIFY_TOKEN}", with: "verifyToken: {value: hunter2hunter2}"),
               secret: "hunter2hunter2", needle: "{value:",
               message: "spec.verifyToken must be a secret reference, not a value"),
    SecretCase(name: "forward secret written as a value",
               yaml: YAML.documents(YAML.integration, forwardRoute),
               secret: "whsec_topsecret42", needle: "whsec_topsecret42",
               message: "spec.actions[0].secret must be a secret reference, not a value"),
]

@Suite("Secrets and template rules")
struct SecretAndTemplateTests {
    @Test(arguments: secretCases)
    func aSecretValueIsAnErrorThatNeverEchoesTheValue(_ testCase: SecretCase) throws {
        let (result, file) = try loadOne(testCase.yaml)
        #expect(result.desired == nil)
        try #require(result.diagnostics.count == 1, "\(result.diagnostics)")
        let diagnostic = result.diagnostics[0]
        let expected = try #require(position(of: testCase.needle, in: testCase.yaml))
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.hint == "write {env: NAME} or {file: /path/to/secret}; the value is read only when needed")
        #expect(diagnostic.location == BizOneModel.SourceLocation(file: file, line: expected.line, column: expected.column))
        #expect(!diagnostic.message.contains(testCase.secret))
        #expect(diagnostic.hint?.contains(testCase.secret) == false)
        #expect(!diagnostic.description.contains(testCase.secret))
    }

    @Test func secretReferencesAreKeptAsReferences() throws {
        let text = YAML.integration.replacingOccurrences(of: "appSecret: {env: META_APP_SECRET}", with: "appSecret: {file: /run/secrets/meta_app_secret}")
        let (result, _) = try loadOne(text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let integration = try #require(result.desired?.resources.first)
        #expect(integration.content.value(at: "spec.appSecret") == .object(["file": .string("/run/secrets/meta_app_secret")]))
        #expect(integration.content.value(at: "spec.accessToken") == .object(["env": .string("META_ACCESS_TOKEN")]))
    }

    @Test func aBadEnvironmentVariableNameIsAnError() throws {
        let text = YAML.integration.replacingOccurrences(of: "{env: META_ACCESS_TOKEN}", with: "{env: META-ACCESS-TOKEN}")
        let (result, file) = try loadOne(text)
        let expected = try #require(position(of: "META-ACCESS-TOKEN", in: text))
        #expect(result.diagnostics == [
            .error("invalid environment variable name in spec.accessToken",
                   at: BizOneModel.SourceLocation(file: file, line: expected.line, column: expected.column)),
        ])
    }

    static func template(body: String) -> String {
        """
        apiVersion: bizone/v1
        kind: Template
        metadata:
          name: long_notice
        spec:
          language: en_US
          category: UTILITY
          body:
            text: \(body)

        """
    }

    @Test func aBodyOver1024CharactersIsLocatedAtTheBodyText() throws {
        let body = Array(repeating: "Great news about your order.", count: 40).joined(separator: " ")
        #expect(body.count == 1159)
        let text = YAML.documents(YAML.integration, Self.template(body: body))
        let (result, file) = try loadOne(text)
        let expected = try #require(position(of: "Great news", in: text))
        #expect(result.desired == nil)
        #expect(result.diagnostics == [
            .error("body is 1159 characters; Meta allows at most 1024",
                   at: BizOneModel.SourceLocation(file: file, line: expected.line, column: expected.column),
                   hint: "shorten the body text"),
        ])
        #expect(expected.line == 21)
    }

    @Test func aBodyOfExactly1024CharactersIsAccepted() throws {
        let body = String(repeating: "abcd ", count: 204) + "abcd"
        #expect(body.count == 1024)
        let (result, _) = try loadOne(YAML.documents(YAML.integration, Self.template(body: body)))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }

    @Test func aBodyStartingWithAVariableIsLocatedAtTheBodyText() throws {
        let text = YAML.documents(YAML.integration, Self.template(body: "\"{{1}} is your order number, thanks.\"") +
                                  "    examples: {\"1\": BZ-1}\n")
        let (result, file) = try loadOne(text)
        let expected = try #require(position(of: "\"{{1}}", in: text))
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.message.hasPrefix("body starts with the variable {{1}}") == true)
        #expect(result.errors.first?.location == BizOneModel.SourceLocation(file: file, line: expected.line, column: expected.column))
    }

    @Test func previousNamesListingTheOwnNameIsAnError() throws {
        let template = YAML.template().replacingOccurrences(of: "  name: order_update\n", with: "  name: order_update\n  previousNames: [order_update]\n")
        let (result, _) = try loadOne(YAML.documents(YAML.integration, template))
        #expect(result.errors.map(\.message) == ["previousNames lists the template's own name"])
    }
}
