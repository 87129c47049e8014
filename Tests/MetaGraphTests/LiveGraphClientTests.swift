import AsyncHTTPClient
import Foundation
import Testing
import TestSupport
@testable import MetaGraph

/// `LiveGraphClient` over a scripted transport: URLs, headers, retries, send safety, paging, logs.
@Suite struct LiveGraphClientTests {
    static let sendOK = #"{"messaging_product":"whatsapp","contacts":[{"input":"+16505551234","wa_id":"16505551234"}],"messages":[{"id":"wamid.OK"}]}"#
    static let listOK = #"{"data":[{"id":"1","name":"a","language":"en_US","status":"APPROVED"}]}"#
    static let message = SendMessageRequest.text(to: "+16505551234", body: "Hello")

    // MARK: - Requests

    @Test func sendCarriesTokenJSONAndTimeout() async throws {
        let transport = ScriptedTransport([.json(Self.sendOK)])
        let response = try await TestConfig.client(transport).send(Self.message)
        #expect(response.messageID == "wamid.OK")
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "https://graph.example.test/v23.0/106540352242922/messages")
        #expect(request.header("Authorization") == "Bearer \(TestConfig.token)")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.timeout == 7)
        let sent = try JSONDecoder().decode(SendMessageRequest.self, from: try #require(request.body))
        #expect(sent == Self.message)
    }

    @Test func createTemplatePostsToTheBusinessAccount() async throws {
        let transport = ScriptedTransport([try .fixture("response-create-template")])
        let request = try MetaFixtures.decode(CreateTemplateRequest.self, "request-create-template-named-params")
        let response = try await TestConfig.client(transport).createTemplate(request)
        #expect(response.id == "1689556908129832")
        let recorded = try #require(transport.requests.first)
        #expect(recorded.method == "POST")
        #expect(recorded.url == "https://graph.example.test/v23.0/102290129340398/message_templates")
        #expect(try JSONDecoder().decode(CreateTemplateRequest.self, from: try #require(recorded.body)) == request)
    }

    @Test func getAndEditOneTemplate() async throws {
        let transport = ScriptedTransport([try .fixture("response-get-template-status"), try .fixture("response-success")])
        let client = TestConfig.client(transport)
        let template = try await client.template(id: "1259544702043867", fields: ["status", "quality_score"])
        #expect(template.status == "APPROVED")
        let edit = EditTemplateRequest(category: "MARKETING")
        try await client.editTemplate(id: "1259544702043867", edit)
        let requests = transport.requests
        #expect(requests[0].method == "GET")
        #expect(requests[0].url == "https://graph.example.test/v23.0/1259544702043867?fields=status,quality_score")
        #expect(requests[0].body == nil)
        #expect(requests[0].header("Content-Type") == nil)
        #expect(requests[1].method == "POST")
        #expect(requests[1].url == "https://graph.example.test/v23.0/1259544702043867")
        #expect(try JSONDecoder().decode(EditTemplateRequest.self, from: try #require(requests[1].body)) == edit)
    }

    @Test func markReadAndPhoneNumber() async throws {
        let transport = ScriptedTransport([try .fixture("response-success"), try .fixture("response-phone-number-all-fields")])
        let client = TestConfig.client(transport)
        try await client.markRead(messageID: "wamid.IN")
        let phone = try await client.phoneNumber(fields: nil)
        #expect(phone.nameStatus == "APPROVED")
        let requests = transport.requests
        #expect(requests[0].url == "https://graph.example.test/v23.0/106540352242922/messages")
        #expect(try JSONDecoder().decode(MarkReadRequest.self, from: try #require(requests[0].body)) == MarkReadRequest(messageID: "wamid.IN"))
        #expect(requests[1].method == "GET")
        #expect(requests[1].url == "https://graph.example.test/v23.0/106540352242922")
    }

    @Test(arguments: [
        ("1689556908129832" as String?, [("hsm_id", "1689556908129832"), ("name", "order_confirmation")]),
        (nil, [("name", "order_confirmation")]),
    ] as [(String?, [(String, String)])])
    func deleteTemplate(_ id: String?, _ expected: [(String, String)]) async throws {
        let transport = ScriptedTransport([try .fixture("response-success")])
        try await TestConfig.client(transport).deleteTemplate(name: "order_confirmation", id: id)
        let request = try #require(transport.requests.first)
        #expect(request.method == "DELETE")
        #expect(request.path == "https://graph.example.test/v23.0/102290129340398/message_templates")
        #expect(request.rawQuery.map(\.0) == expected.map(\.0))
        #expect(request.rawQuery.map(\.1) == expected.map(\.1))
        #expect(request.body == nil)
    }

    @Test func successFalseIsAnError() async throws {
        let transport = ScriptedTransport([.json(#"{"success":false}"#)])
        let error = await #expect(throws: GraphError.self) {
            try await TestConfig.client(transport).deleteTemplate(name: "x", id: "1")
        }
        #expect(error?.kind == .invalidResponse)
        #expect(transport.requests.count == 1)
    }

    @Test func listQueryEncoding() async throws {
        let transport = ScriptedTransport([.json(Self.listOK)])
        let query = TemplateQuery(fields: ["name", "status", "quality_score"], limit: 50, after: "QVF+a/b=", before: nil,
                                  name: "order confirmation", status: ["APPROVED", "PENDING"], language: ["en_US", "pt_BR"],
                                  category: ["MARKETING", "UTILITY"])
        _ = try await TestConfig.client(transport).listTemplates(query)
        let request = try #require(transport.requests.first)
        #expect(request.method == "GET")
        #expect(request.path == "https://graph.example.test/v23.0/102290129340398/message_templates")
        let expected = [("fields", "name,status,quality_score"), ("limit", "50"), ("after", "QVF%2Ba%2Fb%3D"),
                        ("name", "order%20confirmation"), ("status", "APPROVED,PENDING"), ("language", "en_US,pt_BR"),
                        ("category", "MARKETING,UTILITY")]
        #expect(request.rawQuery.map(\.0) == expected.map(\.0))
        #expect(request.rawQuery.map(\.1) == expected.map(\.1))
    }

    @Test(arguments: [
        (TemplateQuery(), ""),
        (TemplateQuery(status: []), ""),
        (TemplateQuery(name: "a,b&c=d"), "name=a%2Cb%26c%3Dd"),
        (TemplateQuery(language: ["x,y", "z"]), "language=x%2Cy,z"),
        (TemplateQuery(before: "B"), "before=B"),
    ])
    func listQueryEdgeCases(_ query: TemplateQuery, _ expected: String) async throws {
        let transport = ScriptedTransport([.json(Self.listOK)])
        _ = try await TestConfig.client(transport).listTemplates(query)
        let url = try #require(transport.requests.first?.url)
        let rawQuery = url.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        #expect(rawQuery == expected)
    }

    // MARK: - Paging

    @Test func allTemplatesFollowsCursorsUntilAPageWithoutNext() async throws {
        func page(_ ids: [String], after: String, next: Bool) -> ScriptedTransport.Step {
            let data = ids.map { #"{"id":"\#($0)","name":"t\#($0)","language":"en_US","status":"APPROVED"}"# }.joined(separator: ",")
            let nextField = next ? #","next":"https://graph.facebook.com/v23.0/102290129340398/message_templates?access_token=\#(TestConfig.token)&after=\#(after)""# : ""
            return .json(#"{"data":[\#(data)],"paging":{"cursors":{"before":"B","after":"\#(after)"}\#(nextField)}}"#)
        }
        let logs = LogCapture()
        let transport = ScriptedTransport([page(["1", "2"], after: "C1", next: true), page(["3"], after: "C2", next: true),
                                           page(["4"], after: "C3", next: false), .json(Self.listOK)])
        let templates = try await TestConfig.client(transport, logs: logs).allTemplates(TemplateQuery(fields: ["id", "name"], limit: 2))
        #expect(templates.map(\.id) == ["1", "2", "3", "4"])
        let requests = transport.requests
        #expect(requests.count == 3)
        #expect(requests.map { $0.rawQuery.first { $0.0 == "after" }?.1 } == [nil, "C1", "C2"])
        #expect(requests.allSatisfy { $0.rawQuery.contains { $0 == ("limit", "2") } })
        #expect(!logs.all.isEmpty)
        #expect(logs.all.allSatisfy { !$0.contains(TestConfig.token) })
    }

    @Test func staleCursorRestartsTheListing() async throws {
        let transport = ScriptedTransport([
            .json(#"{"data":[{"id":"1"}],"paging":{"cursors":{"after":"C1"},"next":"n"}}"#),
            .graphError(code: 131059, message: "Invalid cursor"),
            .json(#"{"data":[{"id":"1"}],"paging":{"cursors":{"after":"C1"},"next":"n"}}"#),
            .json(#"{"data":[{"id":"2"}],"paging":{"cursors":{"after":"C2"}}}"#),
        ])
        let templates = try await TestConfig.client(transport).allTemplates(TemplateQuery(limit: 1))
        #expect(templates.map(\.id) == ["1", "2"])
        let cursors = transport.requests.map { $0.rawQuery.first { $0.0 == "after" }?.1 }
        #expect(cursors == [nil, "C1", nil, "C1"])
    }

    @Test func repeatedCursorStopsInsteadOfLoopingForever() async throws {
        let page = ScriptedTransport.Step.json(#"{"data":[{"id":"1"}],"paging":{"cursors":{"after":"SAME"},"next":"n"}}"#)
        let transport = ScriptedTransport([page, page, page])
        await #expect(throws: GraphError.self) { try await TestConfig.client(transport).allTemplates() }
        #expect(transport.requests.count == 2)
    }

    // MARK: - Retries

    enum Operation: String, Sendable { case list, send, create }

    func run(_ operation: Operation, _ client: LiveGraphClient) async throws {
        switch operation {
        case .list: _ = try await client.listTemplates(TemplateQuery())
        case .send: _ = try await client.send(Self.message)
        case .create:
            _ = try await client.createTemplate(try MetaFixtures.decode(CreateTemplateRequest.self, "request-create-template-positional-params"))
        }
    }

    func success(_ operation: Operation) -> ScriptedTransport.Step {
        switch operation {
        case .list: return .json(Self.listOK)
        case .send: return .json(Self.sendOK)
        case .create: return .json(#"{"id":"9","status":"PENDING","category":"UTILITY"}"#)
        }
    }

    @Test(arguments: [
        (Operation.send, "130429"), (.list, "130429"), (.create, "80007"), (.list, "80007"), (.list, "503"), (.send, "503"),
        (.list, "2"), (.send, "131000"), (.create, "4"), (.list, "transient"),
    ] as [(Operation, String)])
    func retriesThenSucceeds(_ operation: Operation, _ failure: String) async throws {
        let first: ScriptedTransport.Step
        switch failure {
        case "503": first = .answer(status: 503, headers: [], body: Data("Service Unavailable".utf8))
        case "transient": first = .graphError(code: 100, transient: true)
        default: first = .graphError(code: Int(failure)!)
        }
        let clock = VirtualClock()
        let transport = ScriptedTransport([first, success(operation)])
        try await run(operation, TestConfig.client(transport, clock: clock, random: 0.5))
        #expect(transport.requests.count == 2)
        #expect(clock.sleeps == [0.25]) // full jitter: 0.5 x min(cap, base x 2^0)
    }

    @Test func backoffGrowsExponentiallyUpToTheCap() async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport(Array(repeating: .graphError(code: 130429), count: 6) + [.json(Self.listOK)])
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 1, maxDelay: 5, maxElapsed: 1000)
        _ = try await TestConfig.client(transport, clock: clock, configuration: TestConfig.configuration(retry: policy), random: 1)
            .listTemplates(TemplateQuery())
        #expect(clock.sleeps == [1, 2, 4, 5, 5, 5])
    }

    @Test func jitterUsesTheInjectedRandomness() async throws {
        for (random, expected) in [(0.0, 0.0), (0.1, 0.05), (0.9, 0.45)] {
            let clock = VirtualClock()
            let transport = ScriptedTransport([.graphError(code: 2), .json(Self.listOK)])
            _ = try await TestConfig.client(transport, clock: clock, random: random).listTemplates(TemplateQuery())
            #expect(clock.sleeps.count == 1)
            #expect(abs((clock.sleeps.first ?? -1) - expected) < 1e-9)
        }
    }

    @Test func retryAfterIsHonoured() async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport([.graphError(code: 4, headers: [("Retry-After", "12")]), .json(Self.listOK)])
        _ = try await TestConfig.client(transport, clock: clock).listTemplates(TemplateQuery())
        #expect(clock.sleeps == [12])
        #expect(transport.requests.count == 2)
    }

    @Test func retryAfterBeyondTheElapsedBudgetGivesUp() async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport([.graphError(code: 4, headers: [("Retry-After", "600")]), .json(Self.listOK)])
        let error = await #expect(throws: GraphError.self) {
            _ = try await TestConfig.client(transport, clock: clock).listTemplates(TemplateQuery())
        }
        #expect(error?.code == 4)
        #expect(error?.retryAfter == 600)
        #expect(transport.requests.count == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func attemptsAreBounded() async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport(Array(repeating: .graphError(code: 130429), count: 10))
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: 0.5, maxDelay: 30, maxElapsed: 120)
        let error = await #expect(throws: GraphError.self) {
            _ = try await TestConfig.client(transport, clock: clock, configuration: TestConfig.configuration(retry: policy))
                .send(Self.message)
        }
        #expect(error?.code == 130429)
        #expect(transport.requests.count == 3)
        #expect(clock.sleeps == [0.25, 0.5])
    }

    @Test func elapsedTimeIsBounded() async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport(Array(repeating: .graphError(code: 2), count: 50))
        let policy = RetryPolicy(maxAttempts: 50, baseDelay: 10, maxDelay: 10, maxElapsed: 35)
        await #expect(throws: GraphError.self) {
            _ = try await TestConfig.client(transport, clock: clock, configuration: TestConfig.configuration(retry: policy), random: 1)
                .listTemplates(TemplateQuery())
        }
        #expect(clock.sleeps == [10, 10, 10])
        #expect(transport.requests.count == 4)
    }

    @Test(arguments: [100, 190, 131049, 131026, 132000, 132001, 368, 999_999])
    func terminalErrorsAreNotRetried(_ code: Int) async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport([.graphError(code: code), .json(Self.sendOK)])
        let error = await #expect(throws: GraphError.self) {
            _ = try await TestConfig.client(transport, clock: clock).send(Self.message)
        }
        #expect(error?.code == code)
        #expect(error?.outcomeUnknown == false)
        #expect(transport.requests.count == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func terminalStatusWithoutEnvelopeIsNotRetried() async throws {
        let transport = ScriptedTransport([.answer(status: 404, headers: [], body: Data("Not Found".utf8)), .json(Self.listOK)])
        let error = await #expect(throws: GraphError.self) {
            _ = try await TestConfig.client(transport).listTemplates(TemplateQuery())
        }
        #expect(error?.kind == .invalidResponse)
        #expect(error?.httpStatus == 404)
        #expect(transport.requests.count == 1)
    }

    @Test func codeOneIsRetriedAtMostTwice() async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport(Array(repeating: .graphError(code: 1), count: 10))
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 0.5, maxDelay: 30, maxElapsed: 120)
        let error = await #expect(throws: GraphError.self) {
            _ = try await TestConfig.client(transport, clock: clock, configuration: TestConfig.configuration(retry: policy))
                .listTemplates(TemplateQuery())
        }
        #expect(error?.code == 1)
        #expect(transport.requests.count == 3)
        #expect(clock.sleeps.count == 2)
    }

    @Test func codeOneThenSuccess() async throws {
        let transport = ScriptedTransport([.graphError(code: 1), .graphError(code: 1), .json(Self.listOK)])
        _ = try await TestConfig.client(transport).listTemplates(TemplateQuery())
        #expect(transport.requests.count == 3)
    }

    @Test func pairRateLimitWaitsFourToTheX() async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport([.graphError(code: 131056), .graphError(code: 131056), .graphError(code: 131056),
                                           .json(Self.sendOK)])
        _ = try await TestConfig.client(transport, clock: clock).send(Self.message)
        #expect(clock.sleeps == [1, 4, 16])
    }

    // MARK: - Send safety

    @Test(arguments: [
        GraphTransportFailure.afterSend(.timeout, "no answer within 7 s"),
        .afterSend(.network, "the server closed the connection before answering"),
    ])
    func sendAfterTheRequestWentOutIsNotRetried(_ failure: GraphTransportFailure) async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport([.fail(failure), .json(Self.sendOK)])
        let error = await #expect(throws: GraphError.self) {
            _ = try await TestConfig.client(transport, clock: clock).send(Self.message)
        }
        #expect(error?.kind == failure.kind)
        #expect(error?.outcomeUnknown == true)
        #expect(error?.retryability == .terminal)
        #expect(error?.description.contains("outcome unknown") == true)
        #expect(transport.requests.count == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test(arguments: [GraphTransportFailure.notSent(.network, "could not connect: refused"),
                      .notSent(.timeout, "could not connect within 7 s")])
    func sendIsRetriedWhenTheRequestWasNeverWritten(_ failure: GraphTransportFailure) async throws {
        let transport = ScriptedTransport([.fail(failure), .json(Self.sendOK)])
        let response = try await TestConfig.client(transport).send(Self.message)
        #expect(response.messageID == "wamid.OK")
        #expect(transport.requests.count == 2)
    }

    @Test func sendWithAGatewayErrorPageHasAnUnknownOutcome() async throws {
        let transport = ScriptedTransport([.answer(status: 504, headers: [], body: Data("Gateway Timeout".utf8)), .json(Self.sendOK)])
        let error = await #expect(throws: GraphError.self) { _ = try await TestConfig.client(transport).send(Self.message) }
        #expect(error?.kind == .invalidResponse)
        #expect(error?.outcomeUnknown == true)
        #expect(transport.requests.count == 1)
    }

    @Test func sendWithAnUnreadableAnswerHasAnUnknownOutcome() async throws {
        let transport = ScriptedTransport([.json(#"{"unexpected":true}"#), .json(Self.sendOK)])
        let error = await #expect(throws: GraphError.self) { _ = try await TestConfig.client(transport).send(Self.message) }
        #expect(error?.kind == .decoding)
        #expect(error?.outcomeUnknown == true)
        #expect(transport.requests.count == 1)
    }

    @Test func timeoutsOfOtherCallsAreRetried() async throws {
        let transport = ScriptedTransport([.fail(.afterSend(.timeout, "no answer within 7 s")), .json(Self.listOK)])
        _ = try await TestConfig.client(transport).listTemplates(TemplateQuery())
        #expect(transport.requests.count == 2)
    }

    @Test func sendsWaitForThePairLimiterAndTheTokenBucket() async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport(Array(repeating: .json(Self.sendOK), count: 4))
        let configuration = TestConfig.configuration(messagesPerSecond: 1000, pairLimit: PairLimit(burst: 2, interval: 6))
        let client = TestConfig.client(transport, clock: clock, configuration: configuration)
        _ = try await client.send(.text(to: "+1 650-555-1234", body: "1"))
        _ = try await client.send(.text(to: "+16505551234", body: "2"))
        #expect(clock.sleeps.isEmpty)
        _ = try await client.send(.text(to: "16505551234", body: "3")) // same recipient, budget spent
        #expect(clock.sleeps == [6])
        _ = try await client.send(.text(to: "+6281234567890", body: "4")) // another recipient
        #expect(clock.sleeps == [6])
        #expect(transport.requests.count == 4)
    }

    // MARK: - Logs and secrets

    @Test func logsHaveMethodURLStatusDurationAndTrace() async throws {
        let logs = LogCapture()
        let transport = ScriptedTransport([.json(Self.listOK, headers: [("x-fb-trace-id", "TRACE42")])])
        _ = try await TestConfig.client(transport, logs: logs).listTemplates(TemplateQuery(limit: 5))
        let line = try #require(logs.all.first)
        #expect(line.hasPrefix("debug graph request"))
        for part in ["method=GET", "url=https://graph.example.test/v23.0/102290129340398/message_templates?limit=5", "status=200",
                     "duration_ms=", "trace_id=TRACE42", "attempt=1"] {
            #expect(line.contains(part), "\(part) missing in \(line)")
        }
    }

    @Test func noLogLineOrErrorTextContainsTheToken() async throws {
        let token = TestConfig.token
        let logs = LogCapture()
        let echo = "Malformed access token \(token)"
        let transport = ScriptedTransport([
            .graphError(code: 2, message: echo, trace: "T-\(token)"),
            .fail(.notSent(.network, "connect to https://h/?access_token=\(token) refused")),
            .graphError(code: 190, message: echo),
        ])
        let error = await #expect(throws: GraphError.self) {
            _ = try await TestConfig.client(transport, logs: logs).send(Self.message)
        }
        let graphError = try #require(error)
        #expect(graphError.code == 190)
        #expect(transport.requests.count == 3)
        #expect(transport.requests.allSatisfy { $0.header("Authorization") == "Bearer \(token)" })
        let texts = [graphError.description, "\(graphError)", String(reflecting: graphError), graphError.message,
                     graphError.details ?? "", graphError.traceID ?? ""] + logs.all
        #expect(logs.all.count >= 5) // three requests, two retries
        for text in texts {
            #expect(!text.contains(token), "token leaked in: \(text)")
        }
        #expect(logs.all.contains { $0.contains("[REDACTED]") })
    }

    @Test func logLinesAreRedactedEvenWhenCallersPassSecrets() {
        let logs = LogCapture()
        let client = TestConfig.client(ScriptedTransport([]), logs: logs)
        client.log("paging \(TestConfig.token)", ["url": "https://graph.facebook.com/v23.0/1/message_templates?access_token=OTHER&after=X",
                                                   "note": "Bearer \(TestConfig.token)"])
        let line = try? #require(logs.all.first)
        #expect(line?.contains(TestConfig.token) == false)
        #expect(line?.contains("OTHER") == false)
        #expect(line?.contains("access_token=[REDACTED]&after=X") == true)
    }

    @Test func anUnreachableURLIsTriedThreeTimesEachRetryWarnedThenNamedWithTheCount() async throws {
        let clock = VirtualClock()
        let logs = LogCapture()
        let transport = ScriptedTransport(Array(repeating: .fail(.unreachable(.network, "could not connect: connection refused")),
                                                count: 10))
        let error = await #expect(throws: GraphError.self) {
            _ = try await TestConfig.client(transport, clock: clock, logs: logs).listTemplates(TemplateQuery())
        }
        #expect(transport.requests.count == 3)
        #expect(error?.unreachable == true)
        #expect(error?.description.contains("could not connect: connection refused (3 attempts in") == true, "\(String(describing: error))")
        let warnings = logs.all.filter { $0.hasPrefix("warning Meta did not answer; retrying") }
        #expect(warnings.count == 2)
    }

    @Test func unreachableRetriesStopAtTheirOwnElapsedBudget() async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport(Array(repeating: .fail(.unreachable(.timeout, "could not connect within 5 s")), count: 10))
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 5, maxDelay: 5, maxElapsed: 120,
                                 maxUnreachableAttempts: 10, maxUnreachableElapsed: 8)
        await #expect(throws: GraphError.self) {
            _ = try await TestConfig.client(transport, clock: clock, configuration: TestConfig.configuration(retry: policy), random: 1)
                .listTemplates(TemplateQuery())
        }
        #expect(clock.sleeps == [5])
        #expect(transport.requests.count == 2)
    }

    @Test func aStalledAnswerKeepsTheFullRetryBudget() async throws {
        let transport = ScriptedTransport([.fail(.afterSend(.timeout, "no answer within 30 s")),
                                           .fail(.afterSend(.timeout, "no answer within 30 s")),
                                           .fail(.afterSend(.timeout, "no answer within 30 s")), .json(Self.listOK)])
        let page = try await TestConfig.client(transport).listTemplates(TemplateQuery())
        #expect(page.data.count == 1)
        #expect(transport.requests.count == 4)
    }

    // MARK: - The real transport

    /// The default HTTP client fails a refused connection at once (`HTTPClient.shared` re-dials
    /// until the request deadline), and the error names the Graph URL and the cause.
    @Test func aRefusedConnectionFailsAtOnceNamingTheURL() async throws {
        var configuration = TestConfig.configuration(retry: .none, timeout: 600)
        configuration.baseURL = "http://127.0.0.1:9"
        let client = LiveGraphClient(configuration: configuration)
        let error = await #expect(throws: GraphError.self) { _ = try await client.listTemplates(TemplateQuery()) }
        #expect(error?.unreachable == true)
        #expect(error?.kind == .network)
        #expect(error?.description == "Network error: http://127.0.0.1:9: could not connect: connection refused")
    }

    @Test func refusedConnectionIsANetworkErrorWithAKnownOutcome() async throws {
        var configuration = TestConfig.configuration(retry: .none, timeout: 1)
        configuration.baseURL = "http://127.0.0.1:9"
        let client = LiveGraphClient(configuration: configuration, httpClient: .shared)
        let error = await #expect(throws: GraphError.self) { _ = try await client.send(Self.message) }
        #expect(error?.kind == .network || error?.kind == .timeout)
        #expect(error?.outcomeUnknown == false)
        #expect(error?.isRetryable == true)
        #expect(error?.description.contains(TestConfig.token) == false)
    }
}
