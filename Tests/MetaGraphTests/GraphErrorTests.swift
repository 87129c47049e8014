import Foundation
import Testing
import TestSupport
@testable import MetaGraph

/// Reference §17: codes known as retryable or terminal, and readable, token-free text.
@Suite struct GraphErrorTests {
    static let retryable = [2, 4, 17, 80007, 130429, 131000, 131016, 131056, 131057, 133004, 2_494_100, 131059]
    static let terminal = [0, 3, 10, 33, 100, 104, 190, 200, 299, 368, 803, 130472, 130497, 131005, 131008, 131009, 131021,
                           131026, 131031, 131037, 131042, 131045, 131047, 131048, 131049, 131050, 131051, 131053, 131062,
                           132000, 132001, 132005, 132007, 132012, 132015, 132016, 132018, 133010, 135000, 999_999, 42]

    @Test(arguments: retryable)
    func retryableCodes(_ code: Int) {
        #expect(GraphError.retryability(code: code) == .retryable)
        #expect(GraphError(kind: .graph, httpStatus: 400, code: code, message: "x").isRetryable)
    }

    @Test(arguments: terminal)
    func terminalCodes(_ code: Int) {
        #expect(GraphError.retryability(code: code) == .terminal)
        #expect(GraphError(kind: .graph, httpStatus: 400, code: code, message: "x").retryability == .terminal)
        // HTTP 5xx does not override a parsed code.
        #expect(GraphError(kind: .graph, httpStatus: 500, code: code, message: "x").retryability == .terminal)
    }

    @Test func codeOneIsRetriedAtMostTwice() {
        #expect(GraphError.retryability(code: 1) == .retryLimited(maxRetries: 2))
    }

    @Test(arguments: [100, 131049, 190, 999_999])
    func isTransientMakesAnyCodeRetryable(_ code: Int) {
        #expect(GraphError.retryability(code: code, isTransient: true) == .retryable)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var error: GraphError
        var expected: GraphError.Retryability
        var testDescription: String { "\(error.kind) \(error.httpStatus.map(String.init) ?? "-") unknown=\(error.outcomeUnknown)" }
    }

    @Test(arguments: [
        Case(error: GraphError(kind: .invalidResponse, httpStatus: 503, message: "x"), expected: .retryable),
        Case(error: GraphError(kind: .invalidResponse, httpStatus: 500, message: "x"), expected: .retryable),
        Case(error: GraphError(kind: .invalidResponse, httpStatus: 502, message: "x"), expected: .retryable),
        Case(error: GraphError(kind: .invalidResponse, httpStatus: 429, message: "x"), expected: .retryable),
        Case(error: GraphError(kind: .invalidResponse, httpStatus: 404, message: "x"), expected: .terminal),
        Case(error: GraphError(kind: .invalidResponse, httpStatus: 400, message: "x"), expected: .terminal),
        Case(error: GraphError(kind: .network, message: "refused"), expected: .retryable),
        Case(error: GraphError(kind: .timeout, message: "slow"), expected: .retryable),
        Case(error: GraphError(kind: .timeout, message: "slow", outcomeUnknown: true), expected: .terminal),
        Case(error: GraphError(kind: .network, message: "reset", outcomeUnknown: true), expected: .terminal),
        Case(error: GraphError(kind: .decoding, httpStatus: 200, message: "x"), expected: .terminal),
        Case(error: GraphError(kind: .graph, httpStatus: 400, code: 130429, message: "x", outcomeUnknown: true), expected: .terminal),
    ])
    func nonGraphKinds(_ testCase: Case) {
        #expect(testCase.error.retryability == testCase.expected)
    }

    @Test func parsesMetaEnvelopeFromFixture() throws {
        let error = GraphError(httpStatus: 400, headers: [("X-FB-Trace-Id", "HeaderTrace")], body: try MetaFixtures.data("error-rate-limit-130429"))
        #expect(error.kind == .graph)
        #expect(error.code == 130429)
        #expect(error.subcode == 2_494_055)
        #expect(error.type == "OAuthException")
        #expect(error.message == "(#130429) Rate limit hit")
        #expect(error.details == "Cloud API message throughput has been reached.")
        #expect(error.traceID == "Az8or2yhqkZfEZ-_4Qn_Bam") // the body's trace wins over the header
        #expect(error.httpStatus == 400)
        #expect(error.retryability == .retryable)
    }

    @Test(arguments: [
        ("error-access-token-190", 401, 190, GraphError.Retryability.terminal),
        ("error-app-rate-limit-4", 429, 4, .retryable),
        ("error-invalid-parameter-100", 400, 100, .terminal),
        ("error-not-found-803", 404, 803, .terminal),
        ("error-permission-200", 403, 200, .terminal),
        ("error-service-2", 500, 2, .retryable),
        ("error-waba-rate-limit-80007", 429, 80007, .retryable),
    ])
    func fixtureErrors(_ name: String, _ status: Int, _ code: Int, _ expected: GraphError.Retryability) throws {
        let error = GraphError(httpStatus: status, headers: [], body: try MetaFixtures.data(name))
        #expect(error.kind == .graph)
        #expect(error.code == code)
        #expect(error.retryability == expected)
        #expect(error.description.hasPrefix("Graph error \(code) ("))
        #expect(error.description.hasSuffix("(HTTP \(status))"))
    }

    @Test func fallsBackToStatusWithoutEnvelope() {
        let error = GraphError(httpStatus: 502, headers: [("x-fb-trace-id", "T1"), ("Retry-After", "7")],
                               body: Data("<html><body>Bad gateway</body></html>".utf8))
        #expect(error.kind == .invalidResponse)
        #expect(error.code == nil)
        #expect(error.httpStatus == 502)
        #expect(error.traceID == "T1")
        #expect(error.retryAfter == 7)
        #expect(error.isRetryable)
        #expect(error.description.contains("HTTP 502"))
        #expect(error.description.contains("Bad gateway"))

        let empty = GraphError(httpStatus: 404, headers: [], body: Data())
        #expect(empty.kind == .invalidResponse)
        #expect(empty.retryability == .terminal)
    }

    @Test(arguments: [("3", 3.0), (" 10 ", 10.0), ("0.5", 0.5)] as [(String, Double)])
    func retryAfterHeader(_ value: String, _ seconds: Double) {
        let error = GraphError(httpStatus: 400, headers: [("retry-after", value)],
                               body: Data(#"{"error":{"message":"m","code":4}}"#.utf8))
        #expect(error.retryAfter == seconds)
    }

    @Test(arguments: ["Wed, 21 Oct 2015 07:28:00 GMT", "-1", "soon"])
    func unusableRetryAfterIsIgnored(_ value: String) {
        let error = GraphError(httpStatus: 400, headers: [("Retry-After", value)], body: Data(#"{"error":{"message":"m","code":4}}"#.utf8))
        #expect(error.retryAfter == nil)
    }

    @Test func descriptionIsOneReadableLine() {
        let error = GraphError(kind: .graph, httpStatus: 401, code: 190, subcode: 463, type: "OAuthException",
                               message: "Invalid OAuth access token", userTitle: "Session expired",
                               userMessage: "Log in again.\nThen retry.", details: "Token expired on Monday",
                               traceID: "Az8or2yhqkZfEZ")
        #expect(error.description == "Graph error 190 (OAuthException, subcode 463): Invalid OAuth access token - Token expired on Monday - Session expired: Log in again. Then retry. [trace Az8or2yhqkZfEZ] (HTTP 401)")
        #expect(!error.description.contains("\n"))

        let unknown = GraphError(kind: .timeout, message: "no answer within 30 s", outcomeUnknown: true)
        #expect(unknown.description == "Timeout: no answer within 30 s (outcome unknown: the message may have been sent)")
    }

    @Test func descriptionNeverContainsTheToken() {
        let token = TestConfig.token
        let redactor = Redactor(secret: token)
        let body = GraphErrorEnvelope(error: GraphErrorBody(
            message: "Malformed access token \(token)", code: 190, errorData: .init(details: "token=\(token) rejected"),
            errorUserTitle: "Bad \(token)", errorUserMsg: "Check \(token)", fbtraceID: "T"))
        let raw = GraphError(httpStatus: 401, headers: [], body: try! JSONEncoder().encode(body))
        #expect(raw.description.contains(token)) // what Meta echoed...
        let error = raw.redacted(by: redactor)
        #expect(!error.description.contains(token)) // ...never leaves the client
        #expect(!String(reflecting: error).contains(token))
        #expect(!"\(error)".contains(token))
        #expect(error.description.contains("[REDACTED]"))
        #expect(error.code == 190)
    }
}

@Suite struct RedactorTests {
    @Test(arguments: [
        ("Bearer SECRET123", "Bearer [REDACTED]"),
        ("a SECRET123 b SECRET123", "a [REDACTED] b [REDACTED]"),
        ("https://graph.facebook.com/v23.0/1/message_templates?access_token=SECRET123&limit=2&after=X",
         "https://graph.facebook.com/v23.0/1/message_templates?access_token=[REDACTED]&limit=2&after=X"),
        ("https://graph.facebook.com/v23.0/1?limit=2&access_token=OTHERTOKEN", "https://graph.facebook.com/v23.0/1?limit=2&access_token=[REDACTED]"),
        ("nothing secret here", "nothing secret here"),
        ("", ""),
    ])
    func redacts(_ input: String, _ expected: String) {
        #expect(Redactor(secret: "SECRET123").redact(input) == expected)
    }

    @Test func percentEncodedSecretsAreRedacted() {
        let redactor = Redactor(secret: "ab+c/d=")
        #expect(redactor.redact("x ab+c/d= y") == "x [REDACTED] y")
        #expect(redactor.redact("?t=ab%2Bc%2Fd%3D&z=1") == "?t=[REDACTED]&z=1")
    }

    @Test func emptySecretsRedactNothing() {
        #expect(Redactor(secrets: ["", ""]).redact("plain text") == "plain text")
    }

    @Test func describingARedactorDoesNotRevealSecrets() {
        let redactor = Redactor(secret: "SECRET123")
        #expect(!"\(redactor)".contains("SECRET123"))
        #expect(!String(reflecting: redactor).contains("SECRET123"))
        var dumped = ""
        dump(redactor, to: &dumped)
        #expect(!dumped.contains("SECRET123"))
    }

    @Test func describingAConfigurationDoesNotRevealTheToken() {
        let configuration = TestConfig.configuration()
        #expect(!"\(configuration)".contains(TestConfig.token))
        #expect(!String(reflecting: configuration).contains(TestConfig.token))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains(TestConfig.token))
        #expect("\(configuration)".contains("106540352242922"))
    }
}
