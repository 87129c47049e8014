/// How to reach one Integration's WABA and phone number, and how hard to push.
public struct GraphClientConfiguration: Sendable {
    /// Without the version, e.g. `https://graph.facebook.com` or `http://127.0.0.1:8089`.
    public var baseURL: String
    public var version: String
    public var businessAccountID: String
    public var phoneNumberID: String
    /// The resolved token. Sent as a bearer token; never logged, never in error text.
    public var accessToken: String
    /// Seconds before one HTTP request is abandoned.
    public var requestTimeout: Double
    public var retry: RetryPolicy
    /// Sends per second for this phone number (token bucket).
    public var messagesPerSecond: Double
    public var pairLimit: PairLimit

    public init(baseURL: String = MetaGraph.defaultBaseURL, version: String = MetaGraph.defaultVersion, businessAccountID: String,
                phoneNumberID: String, accessToken: String, requestTimeout: Double = 30, retry: RetryPolicy = RetryPolicy(),
                messagesPerSecond: Double = 80, pairLimit: PairLimit = PairLimit()) {
        self.baseURL = baseURL
        self.version = version
        self.businessAccountID = businessAccountID
        self.phoneNumberID = phoneNumberID
        self.accessToken = accessToken
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.messagesPerSecond = messagesPerSecond
        self.pairLimit = pairLimit
    }
}

extension GraphClientConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Everything but the token.
    public var description: String {
        "GraphClientConfiguration(baseURL: \(baseURL), version: \(version), businessAccountID: \(businessAccountID), "
            + "phoneNumberID: \(phoneNumberID), accessToken: \(Redactor.placeholder), requestTimeout: \(requestTimeout), "
            + "retry: \(retry), messagesPerSecond: \(messagesPerSecond), pairLimit: \(pairLimit))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["baseURL": baseURL, "version": version, "businessAccountID": businessAccountID,
                                "phoneNumberID": phoneNumberID, "accessToken": Redactor.placeholder,
                                "requestTimeout": requestTimeout, "retry": retry, "messagesPerSecond": messagesPerSecond,
                                "pairLimit": pairLimit], displayStyle: .struct)
    }
}

/// Bounded exponential backoff with full jitter (reference §17, client retry policy).
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// Give up once this many seconds have passed since the first attempt.
    public var maxElapsed: Double
    /// When the Graph URL cannot be reached at all (`GraphError.unreachable`): at most this
    /// many attempts, and no retry once `maxUnreachableElapsed` seconds have passed, so a
    /// command fails within seconds, not minutes, naming the URL.
    public var maxUnreachableAttempts: Int
    public var maxUnreachableElapsed: Double

    public init(maxAttempts: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 30, maxElapsed: Double = 120,
                maxUnreachableAttempts: Int = 3, maxUnreachableElapsed: Double = 8) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxElapsed = maxElapsed
        self.maxUnreachableAttempts = maxUnreachableAttempts
        self.maxUnreachableElapsed = maxUnreachableElapsed
    }

    public static let none = RetryPolicy(maxAttempts: 1)
}

/// Meta's per-recipient pacing: about one message per 6 s, bursts of up to 45 tolerated
/// (reference §18.2).
public struct PairLimit: Sendable, Hashable {
    public var burst: Int
    public var interval: Double

    public init(burst: Int = 45, interval: Double = 6) {
        self.burst = burst
        self.interval = interval
    }
}
