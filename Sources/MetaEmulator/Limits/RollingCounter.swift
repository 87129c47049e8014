/// Events in a rolling window (template creations per hour, edits per 24 h / 30 days).
struct RollingCounter: Sendable, Hashable {
    private(set) var times: [Double] = []

    /// Events newer than `now - window`.
    func count(within window: Double, now: Double) -> Int {
        times.filter { $0 > now - window }.count
    }

    /// Seconds until the count within `window` drops below `limit` (0 when it already is).
    func wait(limit: Int, within window: Double, now: Double) -> Double {
        let recent = times.filter { $0 > now - window }.sorted()
        guard recent.count >= limit, limit > 0 else { return limit > 0 ? 0 : .infinity }
        let oldestThatMustExpire = recent[recent.count - limit]
        return max(0, oldestThatMustExpire + window - now)
    }

    mutating func record(_ time: Double, keeping window: Double) {
        times.append(time)
        times.removeAll { $0 <= time - window }
    }
}
