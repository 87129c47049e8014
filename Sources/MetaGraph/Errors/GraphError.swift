import Foundation

/// A failed Graph API call, typed (reference §17): what kind of failure, Meta's code, subcode and
/// texts when Meta answered with its error envelope, the trace id to quote to Meta, and whether
/// retrying may help.
///
/// Values built by `LiveGraphClient` have been passed through its `Redactor`, so no field (and
/// therefore neither `description` nor a log line made from it) contains the access token, even
/// when Meta echoes it in a message.
public struct GraphError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Meta answered with its error envelope `{"error": {...}}`.
        case graph
        /// The connection failed (refused, reset, DNS, TLS...).
        case network
        /// No answer in time (connect or request deadline).
        case timeout
        /// A 2xx answer whose body is not the expected shape.
        case decoding
        /// A non-2xx answer that is not Meta's error envelope (a proxy page, an empty body...).
        case invalidResponse
    }

    /// Whether the same request may be sent again.
    public enum Retryability: Sendable, Hashable {
        /// Retry with backoff (rate limits, temporary unavailability, transient errors).
        case retryable
        /// Retry at most `maxRetries` times (code 1: unknown error).
        case retryLimited(maxRetries: Int)
        /// Do not repeat this request.
        case terminal
    }

    public var kind: Kind
    /// The HTTP status, when there was an answer.
    public var httpStatus: Int?
    /// Meta's `error.code`.
    public var code: Int?
    /// Meta's `error.error_subcode`.
    public var subcode: Int?
    /// Meta's `error.type`, e.g. `OAuthException`.
    public var type: String?
    /// Meta's `error.message`, or what went wrong for non-Graph kinds.
    public var message: String
    public var userTitle: String?
    public var userMessage: String?
    /// Meta's `error.error_data.details`: the most useful text for humans.
    public var details: String?
    /// `fbtrace_id`, or the `x-fb-trace-id` response header.
    public var traceID: String?
    /// Meta's `is_transient`.
    public var isTransient: Bool
    /// Seconds from a `Retry-After` response header.
    public var retryAfter: Double?
    /// A send whose request may have reached Meta (timeout, lost connection, unreadable 2xx
    /// answer): a message may exist although no wamid came back. Never retried automatically,
    /// since a retry could deliver the message twice.
    public var outcomeUnknown: Bool
    /// No connection to the Graph URL could be made (refused, no such host, nothing answered
    /// the connect): nothing was sent. Retried only briefly, since such a cause rarely heals
    /// within seconds and the operator should hear about it at once.
    public var unreachable: Bool

    public init(kind: Kind, httpStatus: Int? = nil, code: Int? = nil, subcode: Int? = nil, type: String? = nil, message: String,
                userTitle: String? = nil, userMessage: String? = nil, details: String? = nil, traceID: String? = nil,
                isTransient: Bool = false, retryAfter: Double? = nil, outcomeUnknown: Bool = false, unreachable: Bool = false) {
        self.kind = kind
        self.httpStatus = httpStatus
        self.code = code
        self.subcode = subcode
        self.type = type
        self.message = message
        self.userTitle = userTitle
        self.userMessage = userMessage
        self.details = details
        self.traceID = traceID
        self.isTransient = isTransient
        self.retryAfter = retryAfter
        self.outcomeUnknown = outcomeUnknown
        self.unreachable = unreachable
    }

    /// A Graph error from Meta's envelope.
    public init(envelope: GraphErrorEnvelope, httpStatus: Int?, traceIDHeader: String? = nil, retryAfter: Double? = nil) {
        let body = envelope.error
        self.init(kind: .graph, httpStatus: httpStatus, code: body.code, subcode: body.errorSubcode, type: body.type,
                  message: body.message, userTitle: body.errorUserTitle, userMessage: body.errorUserMsg,
                  details: body.errorData?.details, traceID: body.fbtraceID ?? traceIDHeader,
                  isTransient: body.isTransient ?? false, retryAfter: retryAfter)
    }

    /// The error for a non-2xx answer: Meta's envelope when the body is one, otherwise an
    /// `invalidResponse` carrying the status and the start of the body.
    public init(httpStatus: Int, headers: [(String, String)], body: Data) {
        let trace = Self.header("x-fb-trace-id", in: headers)
        let retryAfter = Self.header("retry-after", in: headers).flatMap(Self.parseRetryAfter)
        if let envelope = try? JSONDecoder().decode(GraphErrorEnvelope.self, from: body) {
            self.init(envelope: envelope, httpStatus: httpStatus, traceIDHeader: trace, retryAfter: retryAfter)
        } else {
            let snippet = Self.snippet(body)
            self.init(kind: .invalidResponse, httpStatus: httpStatus,
                      message: snippet.isEmpty ? "HTTP \(httpStatus) without a body" : "HTTP \(httpStatus) that is not a Graph error: \(snippet)",
                      traceID: trace, retryAfter: retryAfter)
        }
    }

    // MARK: - Classification (reference §17)

    /// Codes that may succeed when the same request is sent again later.
    public static let retryableCodes: Set<Int> = [2, 4, 17, 80007, 130429, 131000, 131016, 131056, 131057, 133004, 2_494_100]
    /// Code 1 (unknown error) is retried "once or twice".
    public static let unknownErrorCode = 1
    public static let unknownErrorMaxRetries = 2
    /// v24+: the paging cursor is stale; the listing must restart without a cursor.
    public static let invalidCursorCode = 131059
    /// The same recipient was messaged too fast; wait 4^X seconds.
    public static let pairRateLimitCode = 131056

    /// How a Graph error code is treated, whatever the transport did.
    public static func retryability(code: Int, isTransient: Bool = false) -> Retryability {
        if code == unknownErrorCode { return .retryLimited(maxRetries: unknownErrorMaxRetries) }
        if retryableCodes.contains(code) || code == invalidCursorCode || isTransient { return .retryable }
        return .terminal
    }

    public var retryability: Retryability {
        if outcomeUnknown { return .terminal }
        switch kind {
        case .graph:
            guard let code else { return isTransient ? .retryable : .terminal }
            return Self.retryability(code: code, isTransient: isTransient)
        case .network, .timeout:
            return .retryable
        case .invalidResponse:
            guard let status = httpStatus else { return .terminal }
            return status >= 500 || status == 429 ? .retryable : .terminal
        case .decoding:
            return .terminal
        }
    }

    public var isRetryable: Bool { retryability != .terminal }

    /// 131059: repeat the listing from the first page, not the same request.
    public var requiresRestartWithoutCursor: Bool { kind == .graph && code == Self.invalidCursorCode }

    // MARK: - Text

    /// One readable line, e.g. `Graph error 190 (OAuthException, subcode 463): Invalid OAuth access
    /// token [trace AXsg...] (HTTP 401)`.
    public var description: String {
        var text: String
        switch kind {
        case .graph:
            text = "Graph error \(code.map(String.init) ?? "?")"
            var qualifiers: [String] = []
            if let type, !type.isEmpty { qualifiers.append(type) }
            if let subcode { qualifiers.append("subcode \(subcode)") }
            if !qualifiers.isEmpty { text += " (\(qualifiers.joined(separator: ", ")))" }
            text += ": \(message)"
        case .network: text = "Network error: \(message)"
        case .timeout: text = "Timeout: \(message)"
        case .decoding: text = "Unexpected response: \(message)"
        case .invalidResponse: text = "Invalid response: \(message)"
        }
        if let details, !details.isEmpty, details != message { text += " - \(details)" }
        switch (userTitle.flatMap { $0.isEmpty ? nil : $0 }, userMessage.flatMap { $0.isEmpty ? nil : $0 }) {
        case let (title?, message?): text += " - \(title): \(message)"
        case let (title?, nil): text += " - \(title)"
        case let (nil, message?): text += " - \(message)"
        case (nil, nil): break
        }
        if let traceID, !traceID.isEmpty { text += " [trace \(traceID)]" }
        if let httpStatus, kind != .invalidResponse { text += " (HTTP \(httpStatus))" }
        if let retryAfter { text += " (retry after \(Self.format(retryAfter)) s)" }
        if outcomeUnknown { text += " (outcome unknown: the message may have been sent)" }
        return Self.singleLine(text)
    }

    /// The last error of a request given up on, saying how long it was tried.
    func after(attempts: Int, seconds: Double) -> GraphError {
        guard attempts > 1 else { return self }
        var copy = self
        copy.message += " (\(attempts) attempts in \(String(format: "%.1f", max(0, seconds))) s)"
        return copy
    }

    /// The same error with every text field passed through `redactor`.
    public func redacted(by redactor: Redactor) -> GraphError {
        var copy = self
        copy.message = redactor.redact(message)
        copy.type = type.map(redactor.redact)
        copy.userTitle = userTitle.map(redactor.redact)
        copy.userMessage = userMessage.map(redactor.redact)
        copy.details = details.map(redactor.redact)
        copy.traceID = traceID.map(redactor.redact)
        return copy
    }

    // MARK: - Helpers

    static func header(_ name: String, in headers: [(String, String)]) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// `Retry-After` as delta seconds (the form Graph and proxies use); HTTP dates are ignored.
    /// At most a day: the header comes from whatever answers at the Graph URL, and a wait
    /// beyond a day is never meant (it would also put dates past year 9999 into the state).
    static func parseRetryAfter(_ value: String) -> Double? {
        guard let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds.isFinite, seconds >= 0 else { return nil }
        return min(seconds, maximumRetryAfter)
    }

    public static let maximumRetryAfter: Double = 86_400

    static func snippet(_ body: Data, limit: Int = 200) -> String {
        let text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
        let collapsed = singleLine(text).trimmingCharacters(in: .whitespaces)
        return collapsed.count > limit ? String(collapsed.prefix(limit)) + "..." : collapsed
    }

    static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(format: "%.3f", seconds)
    }
}
