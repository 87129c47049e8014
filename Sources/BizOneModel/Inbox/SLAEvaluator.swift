import Foundation

/// What the SLA clock needs to know of one conversation (the store computes it).
public struct SLAConversationFacts: Sendable, Hashable {
    public var conversationID: Int64
    public var team: String?
    /// The WebhookRoute that assigned it.
    public var route: String?
    public var labels: [String]
    public var resolved: Bool
    public var firstInboundAt: Date?
    /// The first reply Meta accepted.
    public var firstReplyAt: Date?
    /// The earliest customer message after the last reply (nil: nothing waits, or no reply yet).
    public var awaitingSince: Date?

    public init(conversationID: Int64, team: String?, route: String? = nil, labels: [String], resolved: Bool, firstInboundAt: Date?,
                firstReplyAt: Date?, awaitingSince: Date?) {
        self.conversationID = conversationID
        self.team = team
        self.route = route
        self.labels = labels
        self.resolved = resolved
        self.firstInboundAt = firstInboundAt
        self.firstReplyAt = firstReplyAt
        self.awaitingSince = awaitingSince
    }
}

public enum SLATarget: String, Sendable, Hashable, CaseIterable, Codable {
    case firstResponse, nextResponse, resolution
}

/// A target missed: which, and when it was due.
public struct SLABreach: Sendable, Hashable {
    public var conversationID: Int64
    public var sla: String
    public var target: SLATarget
    public var dueAt: Date

    public init(conversationID: Int64, sla: String, target: SLATarget, dueAt: Date) {
        self.conversationID = conversationID
        self.sla = sla
        self.target = target
        self.dueAt = dueAt
    }
}

/// Which SLA targets a conversation has missed at `now`. Pure: the clock is passed in.
///
/// Decisions:
/// - Coverage: each non-empty list of `appliesTo` must match (the team, any label, the route
///   that assigned it).
/// - First response is due `firstResponse` of business time after the first customer message,
///   and breached when no reply was accepted by then.
/// - Next response is due after the earliest customer message that waits for an answer (one
///   after the last reply), once there was a first reply (before it, the first response
///   target is the one that runs).
/// - Resolution is due after the first customer message; a resolved conversation breaches
///   nothing from then on (what was recorded stays recorded).
/// - Business time: inside the working days' `[start, end)` local hours only; a target that
///   cannot be placed within two years of business time (no working day at all) is ignored.
/// - Breaches are identified by (conversation, SLA, target, due time), so evaluating again
///   finds the same ones and the store records each once.
public struct SLAEvaluator: Sendable {
    public init() {}

    public func covers(_ spec: SLASpec, _ facts: SLAConversationFacts) -> Bool {
        if !spec.appliesTo.teams.isEmpty, !(facts.team.map(spec.appliesTo.teams.contains) ?? false) { return false }
        if !spec.appliesTo.labels.isEmpty, Set(spec.appliesTo.labels).isDisjoint(with: facts.labels) { return false }
        if !spec.appliesTo.routes.isEmpty, !(facts.route.map(spec.appliesTo.routes.contains) ?? false) { return false }
        return true
    }

    public func breaches(sla name: String, _ spec: SLASpec, _ facts: SLAConversationFacts, now: Date) -> [SLABreach] {
        guard covers(spec, facts), let first = facts.firstInboundAt else { return [] }
        var found: [SLABreach] = []
        func check(_ target: SLATarget, _ duration: String?, from start: Date, answeredAt: Date?) {
            guard let duration, let value = DurationValue(parsing: duration), let due = dueDate(from: start, seconds: value.seconds, spec)
            else { return }
            if now >= due && (answeredAt.map { $0 > due } ?? true) {
                found.append(SLABreach(conversationID: facts.conversationID, sla: name, target: target, dueAt: due))
            }
        }
        check(.firstResponse, spec.targets.firstResponse, from: first, answeredAt: facts.firstReplyAt)
        if facts.firstReplyAt != nil, let waiting = facts.awaitingSince {
            check(.nextResponse, spec.targets.nextResponse, from: waiting, answeredAt: nil)
        }
        if !facts.resolved {
            check(.resolution, spec.targets.resolution, from: first, answeredAt: nil)
        }
        return found
    }

    /// `start` plus `seconds` of business time (plain time without business hours).
    public func dueDate(from start: Date, seconds: Double, _ spec: SLASpec) -> Date? {
        guard let hours = spec.businessHours else { return start + seconds }
        guard let zone = TimeZone(identifier: hours.timezone), let open = Self.secondsOfDay(hours.start),
              let close = Self.secondsOfDay(hours.end), close > open else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let days = Set(hours.days.compactMap { SLASpec.weekdays.firstIndex(of: $0) })
        var remaining = max(0, seconds)
        var day = calendar.startOfDay(for: start)
        // Two years of days at most: a schedule without working days never places the target.
        for _ in 0..<732 {
            // Calendar weekday: 1 = Sunday ... 7 = Saturday; ours: 0 = Monday ... 6 = Sunday.
            let weekday = (calendar.component(.weekday, from: day) + 5) % 7
            if days.contains(weekday),
               let windowStart = calendar.date(bySettingHour: open / 3600, minute: (open % 3600) / 60, second: 0, of: day),
               let windowEnd = calendar.date(bySettingHour: close / 3600, minute: (close % 3600) / 60, second: 0, of: day),
               windowEnd > start {
                let from = max(windowStart, start)
                let available = windowEnd.timeIntervalSince(from)
                if remaining <= available { return from + remaining }
                remaining -= available
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
        }
        return nil
    }

    public static func secondsOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 3600 + minute * 60
    }
}
