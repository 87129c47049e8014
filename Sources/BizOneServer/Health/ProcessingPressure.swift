import BizOneStore
import Foundation

/// Whether event processing keeps up with ingest, decided in one place for readiness and for
/// `/metrics`.
///
/// Webhooks are always answered (Meta retries a 5xx, so refusing is worse than queueing); what
/// changes is what the server says about itself. It is *behind* as soon as the backlog passes
/// `behindBacklog` or its oldest event has waited longer than `behindAge`, long before the
/// backlog reaches `maxBacklog`, where readiness fails so a load balancer can route elsewhere.
public struct ProcessingPressure: Sendable, Hashable {
    public enum Level: String, Sendable, Hashable {
        case keepingUp = "keeping_up"
        case behind
        case overLimit = "over_limit"
    }

    public struct Limits: Sendable, Hashable {
        /// Readiness fails above this many waiting events.
        public var maxBacklog: Int
        /// Behind above this many waiting events.
        public var behindBacklog: Int
        /// Behind when the oldest waiting event is older than this (seconds).
        public var behindAge: TimeInterval

        public init(maxBacklog: Int, behindBacklog: Int, behindAge: TimeInterval) {
            self.maxBacklog = maxBacklog
            self.behindBacklog = behindBacklog
            self.behindAge = behindAge
        }
    }

    /// Accepted events after the processing cursor.
    public var backlog: Int
    /// How long the oldest of them has waited (0 when there is none).
    public var oldestAge: TimeInterval
    public var limits: Limits

    /// More events wait than readiness allows.
    public var overLimit: Bool { backlog > limits.maxBacklog }
    /// More events wait than keeping up allows.
    public var backlogBehind: Bool { backlog > limits.behindBacklog }
    /// The oldest waiting event has waited longer than keeping up allows.
    public var oldestLate: Bool { oldestAge > limits.behindAge }

    public var level: Level {
        if overLimit { return .overLimit }
        if backlogBehind || oldestLate { return .behind }
        return .keepingUp
    }

    /// Reads the backlog and the age of its oldest event from the store.
    static func read(_ store: StateStore, limits: Limits, now: Date) throws -> ProcessingPressure {
        let backlog = try store.eventBacklog()
        let oldest = backlog > 0 ? try store.oldestUnprocessedEventReceivedAt() : nil
        return ProcessingPressure(backlog: backlog, oldestAge: oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0, limits: limits)
    }
}
