/// The `outcome` label of `bizone_forward_attempts_total`. Open for new values; the common ones
/// are named.
public struct ForwardOutcome: RawRepresentable, Sendable, Hashable {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// The target answered 2xx.
    public static let success = ForwardOutcome(rawValue: "success")
    /// A retryable failure (network error, 5xx, 429): another attempt follows.
    public static let retry = ForwardOutcome(rawValue: "retry")
    /// Gave up: a terminal answer or no attempts left.
    public static let failure = ForwardOutcome(rawValue: "failure")
}
