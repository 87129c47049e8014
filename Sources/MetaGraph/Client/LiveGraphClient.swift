import AsyncHTTPClient
import Foundation
import Logging

/// The Graph API over HTTP (AsyncHTTPClient): `{baseURL}/{version}/...`, bearer token, JSON
/// bodies, query parameters for GET/DELETE, a timeout on every request, Meta's error envelope
/// turned into `GraphError`, retries with exponential backoff and full jitter for retryable
/// errors (reference §17), and sends paced by a `PairLimiter` and a `TokenBucket` (§18).
///
/// Sends are retried only when no message can exist: Meta answered with an error (it refused),
/// or the connection failed before the request was written. A timeout or a lost connection
/// after the request went out surfaces as `GraphError` with `outcomeUnknown == true`.
///
/// Logs go to `logger` at debug level: method, redacted URL, status, duration, trace id and
/// attempt; never the token, never a body.
public struct LiveGraphClient: GraphClient {
    public let configuration: GraphClientConfiguration
    /// Paces sends to `configuration.messagesPerSecond`; share it with other senders of the same number.
    public let tokenBucket: TokenBucket
    /// Paces sends per recipient (`configuration.pairLimit`).
    public let pairLimiter: PairLimiter
    /// Applied to every log line and error text.
    public let redactor: Redactor
    /// False for the view `forCallerPacedSends()` returns: its caller paces sends itself.
    public private(set) var pacesSends = true
    let transport: any GraphTransport
    let logger: Logger
    let clock: GraphClock
    let random: @Sendable () -> Double

    /// - Parameters:
    ///   - httpClient: defaults to `GraphHTTPClient.shared` (fails fast when Meta is unreachable;
    ///     never shut down by this client).
    ///   - tokenBucket, pairLimiter: pass shared instances when several components send from the
    ///     same number; by default the client makes its own from the configuration.
    ///   - clock: time for durations, backoff sleeps and pacing.
    ///   - random: uniform in [0, 1), for the jitter.
    public init(configuration: GraphClientConfiguration, httpClient: HTTPClient = GraphHTTPClient.shared,
                logger: Logger = Logger(label: "bizone.metagraph"), tokenBucket: TokenBucket? = nil,
                pairLimiter: PairLimiter? = nil, clock: GraphClock = .continuous,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.init(configuration: configuration, transport: AsyncHTTPClientTransport(client: httpClient), logger: logger,
                  tokenBucket: tokenBucket, pairLimiter: pairLimiter, clock: clock, random: random)
    }

    init(configuration: GraphClientConfiguration, transport: any GraphTransport,
         logger: Logger = Logger(label: "bizone.metagraph"), tokenBucket: TokenBucket? = nil,
         pairLimiter: PairLimiter? = nil, clock: GraphClock = .continuous,
         random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
        self.clock = clock
        self.random = random
        self.redactor = Redactor(secret: configuration.accessToken)
        self.tokenBucket = tokenBucket ?? TokenBucket(rate: configuration.messagesPerSecond, clock: clock)
        self.pairLimiter = pairLimiter ?? PairLimiter(limit: configuration.pairLimit, clock: clock)
    }

    /// The number's pacer, shared by this client and whoever paces sends with it.
    public var pacer: SendPacer { SendPacer(bucket: tokenBucket, pairs: pairLimiter) }

    /// This client for a caller that paces and retries sends itself (the campaign dispatcher,
    /// which retries through its outbox so every attempt is visible, and paces with `pacer`):
    /// the same transport, token and pacer, without client-side pacing or retries.
    public func forCallerPacedSends() -> LiveGraphClient {
        var configuration = self.configuration
        configuration.retry = .none
        var view = LiveGraphClient(copying: self, configuration: configuration)
        view.pacesSends = false
        return view
    }

    private init(copying other: LiveGraphClient, configuration: GraphClientConfiguration) {
        self.configuration = configuration
        self.transport = other.transport
        self.logger = other.logger
        self.clock = other.clock
        self.random = other.random
        self.redactor = other.redactor
        self.tokenBucket = other.tokenBucket
        self.pairLimiter = other.pairLimiter
        self.pacesSends = other.pacesSends
    }

    // MARK: - GraphClient

    public func createTemplate(_ request: CreateTemplateRequest) async throws -> CreateTemplateResponse {
        try await perform(Call(operation: "createTemplate", method: "POST", path: [configuration.businessAccountID, "message_templates"],
                               body: try encode(request)), as: CreateTemplateResponse.self)
    }

    public func listTemplates(_ query: TemplateQuery) async throws -> TemplateListResponse {
        try await perform(Call(operation: "listTemplates", method: "GET", path: [configuration.businessAccountID, "message_templates"],
                               query: Self.queryItems(query)), as: TemplateListResponse.self)
    }

    public func template(id: String, fields: [String]?) async throws -> MessageTemplate {
        try await perform(Call(operation: "getTemplate", method: "GET", path: [id], query: Self.fieldsItem(fields)),
                          as: MessageTemplate.self)
    }

    public func editTemplate(id: String, _ request: EditTemplateRequest) async throws {
        let call = Call(operation: "editTemplate", method: "POST", path: [id], body: try encode(request))
        try check(try await perform(call, as: SuccessResponse.self), call)
    }

    public func deleteTemplate(name: String, id: String?) async throws {
        var query: [(String, String)] = []
        if let id { query.append(("hsm_id", Self.percentEncode(id))) }
        query.append(("name", Self.percentEncode(name)))
        let call = Call(operation: "deleteTemplate", method: "DELETE", path: [configuration.businessAccountID, "message_templates"],
                        query: query)
        try check(try await perform(call, as: SuccessResponse.self), call)
    }

    public func send(_ request: SendMessageRequest) async throws -> SendMessageResponse {
        try await perform(Call(operation: "send", method: "POST", path: [configuration.phoneNumberID, "messages"],
                               body: try encode(request), recipient: request.to), as: SendMessageResponse.self)
    }

    public func markRead(messageID: String) async throws {
        let call = Call(operation: "markRead", method: "POST", path: [configuration.phoneNumberID, "messages"],
                        body: try encode(MarkReadRequest(messageID: messageID)))
        try check(try await perform(call, as: SuccessResponse.self), call)
    }

    public func phoneNumber(fields: [String]?) async throws -> PhoneNumberInfo {
        try await perform(Call(operation: "getPhoneNumber", method: "GET", path: [configuration.phoneNumberID],
                               query: Self.fieldsItem(fields)), as: PhoneNumberInfo.self)
    }

    // MARK: - Requests

    struct Call: Sendable {
        var operation: String
        var method: String
        var path: [String]
        /// Names and already percent-encoded values.
        var query: [(String, String)] = []
        var body: Data?
        /// Set for sends: paced per recipient, and never retried once the request may have gone out.
        var recipient: String?

        var isSend: Bool { recipient != nil }
    }

    /// `{baseURL}/{version}/{path...}?{query}`.
    func url(for call: Call) -> String {
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var url = base + "/" + Self.percentEncode(configuration.version, keepSlash: true)
        for component in call.path { url += "/" + Self.percentEncode(component) }
        if !call.query.isEmpty {
            url += "?" + call.query.map { "\(Self.percentEncode($0.0))=\($0.1)" }.joined(separator: "&")
        }
        return url
    }

    func requestHeaders(hasBody: Bool) -> [(String, String)] {
        var headers = [("Authorization", "Bearer \(configuration.accessToken)"), ("Accept", "application/json"),
                       ("User-Agent", "BizOne")]
        if hasBody { headers.append(("Content-Type", "application/json")) }
        return headers
    }

    static func queryItems(_ query: TemplateQuery) -> [(String, String)] {
        var items: [(String, String)] = fieldsItem(query.fields)
        if let limit = query.limit { items.append(("limit", String(limit))) }
        if let after = query.after { items.append(("after", percentEncode(after))) }
        if let before = query.before { items.append(("before", percentEncode(before))) }
        if let name = query.name { items.append(("name", percentEncode(name))) }
        for (key, values) in [("status", query.status), ("language", query.language), ("category", query.category)] {
            if let values, !values.isEmpty { items.append((key, listValue(values))) }
        }
        return items
    }

    static func fieldsItem(_ fields: [String]?) -> [(String, String)] {
        guard let fields, !fields.isEmpty else { return [] }
        return [("fields", listValue(fields))]
    }

    /// A list filter: each value percent-encoded, joined by literal commas.
    static func listValue(_ values: [String]) -> String {
        values.map { percentEncode($0) }.joined(separator: ",")
    }

    /// RFC 3986: everything but unreserved characters (and `/` when asked) as `%XX`.
    static func percentEncode(_ text: String, keepSlash: Bool = false) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                output += "/"
            default:
                let digits = Array("0123456789ABCDEF")
                output += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
            }
        }
        return output
    }

    func encode<T: Encodable>(_ value: T) throws -> Data {
        do {
            return try MetaJSON.encode(value)
        } catch {
            throw GraphError(kind: .decoding, message: "could not encode the request: \(error)").redacted(by: redactor)
        }
    }

    func check(_ response: SuccessResponse, _ call: Call) throws {
        guard response.success else {
            throw GraphError(kind: .invalidResponse, httpStatus: 200, message: "\(call.operation) answered {\"success\": false}")
        }
    }

    // MARK: - Retries

    func perform<Response: Decodable>(_ call: Call, as type: Response.Type) async throws -> Response {
        let url = url(for: call)
        let started = clock.now()
        let policy = configuration.retry
        let maxAttempts = max(1, policy.maxAttempts)
        var attempt = 0
        var limitedRetries = 0
        var pairRetries = 0
        var unreachableAttempts = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            if let recipient = call.recipient, pacesSends {
                try await pairLimiter.acquire(for: recipient)
                try await tokenBucket.acquire()
            }
            let error: GraphError
            do {
                return try await attemptOnce(call, url: url, attempt: attempt, as: type)
            } catch let failure as GraphError {
                error = failure
            }
            guard attempt < maxAttempts, !error.requiresRestartWithoutCursor else { throw error }
            if error.unreachable {
                unreachableAttempts += 1
                guard unreachableAttempts < max(1, policy.maxUnreachableAttempts) else {
                    throw error.after(attempts: attempt, seconds: clock.now() - started)
                }
            }
            switch error.retryability {
            case .terminal:
                throw error
            case .retryLimited(let maxRetries):
                guard limitedRetries < maxRetries else { throw error }
                limitedRetries += 1
            case .retryable:
                break
            }
            let delay: Double
            if let retryAfter = error.retryAfter {
                delay = retryAfter
            } else if error.code == GraphError.pairRateLimitCode {
                delay = pow(4, Double(pairRetries)) // 1, 4, 16... s (reference §18.2)
                pairRetries += 1
            } else {
                let ceiling = min(policy.maxDelay, policy.baseDelay * pow(2, Double(attempt - 1)))
                delay = min(max(random(), 0), 1) * max(ceiling, 0)
            }
            let elapsed = clock.now() - started
            let budget = error.unreachable ? min(policy.maxElapsed, policy.maxUnreachableElapsed) : policy.maxElapsed
            guard elapsed + delay <= budget else {
                log("graph retry budget exhausted", ["operation": call.operation, "attempt": "\(attempt)",
                                                     "elapsed_s": GraphError.format(elapsed), "error": error.description])
                throw error.unreachable ? error.after(attempts: attempt, seconds: elapsed) : error
            }
            let retry = ["operation": call.operation, "attempt": "\(attempt)", "delay_s": GraphError.format(delay),
                         "error": error.description]
            // A network failure or a timeout is the operator's business at once (a wrong URL, a
            // proxy, an outage); Meta's own retryable codes stay at debug level.
            if error.kind == .network || error.kind == .timeout {
                log("Meta did not answer; retrying", retry, level: .warning)
            } else {
                log("graph retry", retry)
            }
            try await clock.sleep(delay)
        }
    }

    func attemptOnce<Response: Decodable>(_ call: Call, url: String, attempt: Int, as type: Response.Type) async throws -> Response {
        let begin = clock.now()
        var metadata = ["operation": call.operation, "method": call.method, "url": url, "attempt": "\(attempt)"]
        let answer: (status: Int, headers: [(String, String)], body: Data)
        do {
            answer = try await transport.execute(method: call.method, url: url, headers: requestHeaders(hasBody: call.body != nil),
                                                 body: call.body, timeout: configuration.requestTimeout)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let failure = error as? GraphTransportFailure ?? .afterSend(.network, "\(error)")
            let graphError = GraphError(kind: failure.kind, message: "\(configuration.baseURL): \(failure.reason)",
                                        outcomeUnknown: call.isSend && failure.requestMayHaveBeenSent,
                                        unreachable: failure.unreachable).redacted(by: redactor)
            metadata["duration_ms"] = milliseconds(since: begin)
            metadata["error"] = graphError.description
            log("graph request failed", metadata)
            throw graphError
        }
        let headerTrace = GraphError.header("x-fb-trace-id", in: answer.headers)
        metadata["status"] = "\(answer.status)"
        metadata["duration_ms"] = milliseconds(since: begin)
        if (200..<300).contains(answer.status) {
            if let headerTrace { metadata["trace_id"] = headerTrace }
            do {
                let value = try JSONDecoder().decode(Response.self, from: answer.body)
                log("graph request", metadata)
                return value
            } catch {
                let graphError = GraphError(kind: .decoding, httpStatus: answer.status,
                                            message: "could not read the \(call.operation) answer: \(Self.describe(error))",
                                            traceID: headerTrace, outcomeUnknown: call.isSend).redacted(by: redactor)
                metadata["error"] = graphError.description
                log("graph request", metadata)
                throw graphError
            }
        }
        var graphError = GraphError(httpStatus: answer.status, headers: answer.headers, body: answer.body).redacted(by: redactor)
        // A gateway error page (502, 504...) on a send may come after Meta took the message;
        // 429 and 503 mean the request was turned away.
        if call.isSend, graphError.kind == .invalidResponse, answer.status >= 500, answer.status != 503 {
            graphError.outcomeUnknown = true
        }
        if let trace = graphError.traceID { metadata["trace_id"] = trace }
        metadata["error"] = graphError.description
        log("graph request", metadata)
        throw graphError
    }

    // MARK: - Logging

    func log(_ message: String, _ metadata: [String: String], level: Logger.Level = .debug) {
        logger.log(level: level, "\(redactor.redact(message))", metadata: metadata.mapValues { .string(redactor.redact($0)) })
    }

    func milliseconds(since start: Double) -> String {
        String(Int(((clock.now() - start) * 1000).rounded()))
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "" : " at \(path.hasPrefix(".") ? String(path.dropFirst()) : path)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\"\(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription)\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
