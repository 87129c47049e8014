@testable import BizOneConfig
import BizOneModel
import Foundation
import Testing
import TestSupport

/// One broken document and the single diagnostic it must produce.
struct DiagnosticCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var line: Int
    var column: Int
    var message: String
    var hint: String?

    var testDescription: String { name }
}

private let role = """
apiVersion: bizone/v1
kind: Role
metadata:
  name: admin
spec:
  permissions:
    templates: [read]

"""

private let template = """
apiVersion: bizone/v1
kind: Template
metadata:
  name: order_update
spec:
  language: en_US
  category: UTILITY
  body:
    text: Your order has shipped.

"""

private let schedule = """
apiVersion: bizone/v1
kind: Schedule
metadata:
  name: weekly
spec:
  cron: "0 9 * * 1"
  timezone: UTC

"""

private let user = """
apiVersion: bizone/v1
kind: User
metadata:
  name: ana
spec:
  email: ana@example.com
  displayName: Ana
  roles: [admin]

"""

private func replacing(_ text: String, _ old: String, _ new: String) -> String {
    precondition(text.contains(old), "fixture does not contain \(old)")
    return text.replacingOccurrences(of: old, with: new)
}

let diagnosticCases: [DiagnosticCase] = [
    DiagnosticCase(name: "YAML syntax: bad indentation",
                   yaml: replacing(role, "    templates: [read]\n", "    templates: [read]\n   campaigns: [read]\n"),
                   line: 8, column: 4, message: "YAML syntax error: did not find expected key",
                   hint: "check the indentation of this line against the lines above"),
    DiagnosticCase(name: "unknown apiVersion",
                   yaml: replacing(role, "bizone/v1", "bizone/v2"),
                   line: 1, column: 13, message: "unknown apiVersion \"bizone/v2\"",
                   hint: "this release understands apiVersion: bizone/v1"),
    DiagnosticCase(name: "missing apiVersion",
                   yaml: replacing(role, "apiVersion: bizone/v1\n", ""),
                   line: 1, column: 1, message: "missing required field \"apiVersion\"", hint: "add apiVersion: bizone/v1"),
    DiagnosticCase(name: "unknown kind close to a real one",
                   yaml: replacing(role, "kind: Role", "kind: Rol"),
                   line: 2, column: 7, message: "unknown kind \"Rol\"", hint: "did you mean \"Role\"?"),
    DiagnosticCase(name: "unknown kind far from every kind",
                   yaml: replacing(role, "kind: Role", "kind: Widget"),
                   line: 2, column: 7, message: "unknown kind \"Widget\"",
                   hint: "kind is one of Role, User, Integration, Mailer, Template, Audience, Schedule, WebhookRoute, SLA, CannedResponse, Campaign"),
    DiagnosticCase(name: "unknown field in spec",
                   yaml: replacing(role, "spec:\n", "spec:\n  descripton: Full access\n"),
                   line: 6, column: 3, message: "unknown field \"descripton\" in spec", hint: "did you mean \"description\"?"),
    DiagnosticCase(name: "unknown field in metadata",
                   yaml: replacing(role, "  name: admin\n", "  name: admin\n  lables: {team: ops}\n"),
                   line: 5, column: 3, message: "unknown field \"lables\" in metadata", hint: "did you mean \"labels\"?"),
    DiagnosticCase(name: "missing required field",
                   yaml: replacing(role, "  permissions:\n    templates: [read]\n", "  description: Full access\n"),
                   line: 6, column: 3, message: "missing required field \"permissions\" in spec",
                   hint: "permissions: Actions allowed per area."),
    DiagnosticCase(name: "wrong type: a scalar for a list",
                   yaml: replacing(user, "roles: [admin]", "roles: admin"),
                   line: 8, column: 10, message: "spec.roles must be a list, found \"admin\""),
    DiagnosticCase(name: "wrong type: a quoted string for a boolean",
                   yaml: user + "  disabled: \"yes\"\n",
                   line: 9, column: 13, message: "spec.disabled must be a boolean (true or false), found a quoted string"),
    DiagnosticCase(name: "invalid resource name",
                   yaml: replacing(role, "name: admin", "name: Admin_Team"),
                   line: 4, column: 9, message: "invalid name \"Admin_Team\"",
                   hint: "use lower-case letters, digits, '-' and '_', starting and ending with a letter or digit"),
    DiagnosticCase(name: "invalid template name",
                   yaml: replacing(template, "name: order_update", "name: order-update"),
                   line: 4, column: 9, message: "invalid template name \"order-update\"",
                   hint: "Meta allows only lower-case letters a-z, digits and '_'"),
    DiagnosticCase(name: "language with a hyphen",
                   yaml: replacing(template, "language: en_US", "language: en-us"),
                   line: 6, column: 13, message: "unsupported language \"en-us\"", hint: "did you mean \"en_US\"?"),
    DiagnosticCase(name: "unknown language",
                   yaml: replacing(template, "language: en_US", "language: xx"),
                   line: 6, column: 13, message: "unsupported language \"xx\"", hint: "Meta's locale codes such as en_US"),
    DiagnosticCase(name: "category in the wrong case",
                   yaml: replacing(template, "category: UTILITY", "category: utility"),
                   line: 7, column: 13, message: "invalid value \"utility\" for spec.category", hint: "did you mean \"UTILITY\"?"),
    DiagnosticCase(name: "phone number not in E.164",
                   yaml: """
                   apiVersion: bizone/v1
                   kind: Audience
                   metadata:
                     name: vip
                   spec:
                     contacts:
                       - phone: "081234567890"

                   """,
                   line: 7, column: 14, message: "invalid phone number \"081234567890\"", hint: "E.164"),
    DiagnosticCase(name: "cron minute out of range",
                   yaml: replacing(schedule, "\"0 9 * * 1\"", "\"61 * * * *\""),
                   line: 6, column: 9, message: "invalid cron expression \"61 * * * *\": minute 61 is out of range 0-59",
                   hint: "five fields: minute hour day-of-month month day-of-week"),
    DiagnosticCase(name: "misspelt time zone",
                   yaml: replacing(schedule, "timezone: UTC", "timezone: Asia/Jakart"),
                   line: 7, column: 13, message: "unknown time zone \"Asia/Jakart\"", hint: "did you mean \"Asia/Jakarta\"?"),
    DiagnosticCase(name: "duration in words",
                   yaml: schedule + "  expireAfter: 5 minutes\n",
                   line: 8, column: 16, message: "invalid duration \"5 minutes\"", hint: "e.g. 90s, 15m, 2h, 1h30m"),
    DiagnosticCase(name: "schedule with both at and cron",
                   yaml: schedule + "  at: \"2027-01-15T10:00:00+07:00\"\n",
                   line: 6, column: 3, message: "spec may have only one of at, cron, found at and cron"),
    DiagnosticCase(name: "integer above its maximum",
                   yaml: """
                   apiVersion: bizone/v1
                   kind: Integration
                   metadata:
                     name: main
                   spec:
                     businessAccountId: "1029384756"
                     phoneNumberId: "5647382910"
                     accessToken: {env: META_ACCESS_TOKEN}
                     appSecret: {env: META_APP_SECRET}
                     verifyToken: {env: META_VERIFY_TOKEN}
                     throughput:
                       messagesPerSecond: 5000

                   """,
                   line: 12, column: 24, message: "spec.throughput.messagesPerSecond is 5000; the maximum is 1000"),
]

@Suite("Structural diagnostics")
struct DiagnosticTests {
    @Test(arguments: diagnosticCases)
    func oneDiagnosticAtTheRightPlace(_ testCase: DiagnosticCase) throws {
        let (result, file) = try loadOne(testCase.yaml)
        #expect(result.desired == nil)
        #expect(result.warnings.isEmpty)
        try #require(result.errors.count == 1, "\(result.diagnostics)")
        let diagnostic = result.errors[0]
        #expect(diagnostic.location == SourceLocation(file: file, line: testCase.line, column: testCase.column))
        #expect(diagnostic.message.hasPrefix(testCase.message), "\(diagnostic.message)")
        if let hint = testCase.hint {
            #expect(diagnostic.hint?.contains(hint) == true, "\(diagnostic.hint ?? "no hint")")
        }
    }

    @Test func everyProblemInEveryFileIsReportedAtOnceSortedByLocation() throws {
        try withTemporaryDirectory { directory in
            let first = try directory.write("a.yaml", YAML.documents(
                replacing(role, "kind: Role", "kind: Rol"),              // line 2
                replacing(schedule, "timezone: UTC", "timezone: Mars/Base"),  // doc starts line 9, timezone line 15
                replacing(user, "roles: [admin]", "roles: admin")        // doc starts line 17, roles line 24
            ))
            let second = try directory.write("b.yaml", replacing(template, "language: en_US", "language: en-us"))
            let result = PipelineLoader().load(paths: [second, first])

            #expect(result.desired == nil)
            #expect(result.files == [second, first])
            let found = result.diagnostics.map { "\($0.location?.description ?? "-") \($0.message)" }
            #expect(found == [
                "\(first):2:7 unknown kind \"Rol\"",
                "\(first):15:13 unknown time zone \"Mars/Base\"",
                "\(first):24:10 spec.roles must be a list, found \"admin\"",
                "\(second):6:13 unsupported language \"en-us\"",
            ])
        }
    }

    @Test func aSyntaxErrorKeepsTheDocumentsBeforeIt() throws {
        // The first document is valid and read; the second breaks the parser at line 16.
        let text = YAML.documents(role, replacing(role, "    templates: [read]\n", "    templates: [read]\n   campaigns: [read]\n"))
        let (result, file) = try loadOne(text)
        #expect(result.desired == nil)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.location == SourceLocation(file: file, line: 16, column: 4))
        #expect(result.diagnostics.first?.message.hasPrefix("YAML syntax error") == true)
    }

    @Test func aDocumentThatIsNotAMappingIsAnError() throws {
        let (result, file) = try loadOne("- just\n- a list\n")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.message == "a document must be a mapping with apiVersion, kind, metadata and spec")
        #expect(result.errors.first?.location == SourceLocation(file: file, line: 1, column: 1))
    }

    @Test func aMissingPathIsAnError() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("bizone-missing-\(UUID().uuidString)").path
        let result = PipelineLoader().load(paths: [missing])
        #expect(result.desired == nil)
        #expect(result.diagnostics.map(\.message) == ["\(missing): no such file or directory"])
    }
}
