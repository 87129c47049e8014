import Foundation
import Logging
@testable import MetaGraph
import TestSupport

/// Virtual time: `sleep` records the duration and (unless frozen) advances `now` by it, at once.
final class VirtualClock: Sendable {
    private let state = Locked((now: 0.0, sleeps: [Double]()))
    private let advancesOnSleep: Bool

    init(advancesOnSleep: Bool = true) { self.advancesOnSleep = advancesOnSleep }

    var now: Double { state.current.now }
    var sleeps: [Double] { state.current.sleeps }

    func advance(_ seconds: Double) { state.withValue { $0.now += seconds } }

    var graphClock: GraphClock {
        GraphClock(
            now: { [state] in state.current.now },
            sleep: { [state, advancesOnSleep] seconds in
                try Task.checkCancellation()
                state.withValue {
                    $0.sleeps.append(seconds)
                    if seconds > 0, advancesOnSleep { $0.now += seconds }
                }
            }
        )
    }
}

/// One recorded request.
struct RecordedRequest: Sendable {
    var method: String
    var url: String
    var headers: [(String, String)]
    var body: Data?
    var timeout: Double

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The query parameters as written (still percent-encoded), in order.
    var rawQuery: [(String, String)] {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
    }

    var path: String { String(url.split(separator: "?", maxSplits: 1)[0]) }
}

/// Answers requests from a script, in order, and records them.
final class ScriptedTransport: GraphTransport, Sendable {
    enum Step: Sendable {
        case answer(status: Int, headers: [(String, String)], body: Data)
        case fail(GraphTransportFailure)
    }

    private let state: Locked<(steps: [Step], requests: [RecordedRequest])>

    init(_ steps: [Step]) { state = Locked((steps, [])) }

    var requests: [RecordedRequest] { state.current.requests }

    func execute(method: String, url: String, headers: [(String, String)], body: Data?,
                 timeout: Double) async throws -> (status: Int, headers: [(String, String)], body: Data) {
        let step: Step? = state.withValue { state in
            state.requests.append(RecordedRequest(method: method, url: url, headers: headers, body: body, timeout: timeout))
            return state.steps.isEmpty ? nil : state.steps.removeFirst()
        }
        switch step {
        case .answer(let status, let headers, let body)?: return (status, headers, body)
        case .fail(let failure)?: throw failure
        case nil: throw GraphTransportFailure.notSent(.network, "script exhausted")
        }
    }
}

extension ScriptedTransport.Step {
    static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> Self {
        .answer(status: status, headers: [("Content-Type", "application/json")] + headers, body: Data(text.utf8))
    }

    static func fixture(_ name: String, status: Int = 200, headers: [(String, String)] = []) throws -> Self {
        .answer(status: status, headers: [("Content-Type", "application/json")] + headers, body: try MetaFixtures.data(name))
    }

    static func graphError(_ status: Int = 400, code: Int, subcode: Int? = nil, message: String = "Something failed",
                           transient: Bool? = nil, trace: String? = "AbCdTrace", headers: [(String, String)] = []) -> Self {
        let body = GraphErrorEnvelope(error: GraphErrorBody(message: message, code: code, errorSubcode: subcode,
                                                            isTransient: transient, fbtraceID: trace))
        return .answer(status: status, headers: headers, body: try! JSONEncoder().encode(body))
    }
}

enum TestConfig {
    static let token = "EAAJtestTOKEN0123456789secretValue"

    static func configuration(retry: RetryPolicy = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 30, maxElapsed: 120),
                              messagesPerSecond: Double = 1000, pairLimit: PairLimit = PairLimit(burst: 1000, interval: 6),
                              timeout: Double = 7) -> GraphClientConfiguration {
        GraphClientConfiguration(baseURL: "https://graph.example.test/", version: "v23.0", businessAccountID: "102290129340398",
                                 phoneNumberID: "106540352242922", accessToken: token, requestTimeout: timeout, retry: retry,
                                 messagesPerSecond: messagesPerSecond, pairLimit: pairLimit)
    }

    /// A client over `transport`, on virtual time, with jitter fixed at `random`.
    static func client(_ transport: ScriptedTransport, clock: VirtualClock = VirtualClock(), logs: LogCapture = LogCapture(),
                       configuration: GraphClientConfiguration = configuration(), random: Double = 0.5) -> LiveGraphClient {
        LiveGraphClient(configuration: configuration, transport: transport, logger: logs.logger, clock: clock.graphClock,
                        random: { random })
    }
}
