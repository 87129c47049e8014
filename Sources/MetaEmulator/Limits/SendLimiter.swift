import BizOneModel

/// Throughput per phone number (130429) and the pair limit per recipient (131056), reference §18.
struct SendLimiter: Sendable {
    enum Verdict: Equatable {
        case allowed
        case throughput(retryAfter: Int)
        case pair(retryAfter: Int)
    }

    private(set) var limits: EmulatorLimits
    private var throughput: RateBucket?
    private var pairs: [String: RateBucket] = [:]

    init(limits: EmulatorLimits) {
        self.limits = limits
    }

    mutating func reconfigure(_ limits: EmulatorLimits) {
        self.limits = limits
        throughput = nil
        pairs = [:]
    }

    /// Checks both limits; takes a token from each only when both allow the send.
    mutating func admit(recipient: String, now: Double) -> Verdict {
        var bucket: RateBucket? = nil
        if limits.messagesPerSecond > 0 {
            bucket = throughput ?? RateBucket(capacity: max(1, limits.messagesPerSecond), rate: limits.messagesPerSecond, now: now)
        }
        var pair: RateBucket? = nil
        if limits.pairInterval > 0, limits.pairBurst > 0 {
            pair = pairs[recipient] ?? RateBucket(capacity: Double(limits.pairBurst), rate: 1 / limits.pairInterval, now: now)
        }
        if var probe = bucket, let wait = probe.take(now: now) {
            return .throughput(retryAfter: Self.seconds(wait))
        }
        if var probe = pair, let wait = probe.take(now: now) {
            return .pair(retryAfter: Self.seconds(wait))
        }
        _ = bucket?.take(now: now)
        _ = pair?.take(now: now)
        throughput = bucket
        if let pair { pairs[recipient] = pair }
        return .allowed
    }

    static func seconds(_ wait: Double) -> Int {
        wait.isFinite ? max(1, Int(min(wait, 86_400).rounded(.up))) : 3600
    }
}
