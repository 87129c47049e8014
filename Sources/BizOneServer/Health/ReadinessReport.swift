/// The body of `GET /api/health/ready`: every check with its verdict, in a fixed order.
public struct ReadinessReport: Codable, Sendable, Hashable {
    public struct Check: Codable, Sendable, Hashable {
        public enum Status: String, Codable, Sendable, Hashable {
            case ok
            case fail
            /// Shown, never fails readiness (the age of the last webhook).
            case info
            /// Needs attention but does not fail readiness (processing is behind).
            case warn
        }

        public var name: String
        public var status: Status
        public var detail: String?
        public var value: Double?
        public var limit: Double?

        public init(name: String, status: Status, detail: String? = nil, value: Double? = nil, limit: Double? = nil) {
            self.name = name
            self.status = status
            self.detail = detail
            self.value = value
            self.limit = limit
        }
    }

    /// "fail" when a check failed (503), "behind" when one warns (200: still ready), else "ok".
    public var status: String
    public var checks: [Check]

    public init(checks: [Check]) {
        self.checks = checks
        self.status = checks.contains { $0.status == .fail } ? "fail" : checks.contains { $0.status == .warn } ? "behind" : "ok"
    }

    public var isReady: Bool { status != "fail" }
}
