/// The body of `GET /api/health/ready`: every check with its verdict, in a fixed order.
public struct ReadinessReport: Codable, Sendable, Hashable {
    public struct Check: Codable, Sendable, Hashable {
        public enum Status: String, Codable, Sendable, Hashable {
            case ok
            case fail
            /// Shown, never fails readiness (the age of the last webhook).
            case info
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

    /// "ok" when no check failed, else "fail".
    public var status: String
    public var checks: [Check]

    public init(checks: [Check]) {
        self.checks = checks
        self.status = checks.contains { $0.status == .fail } ? "fail" : "ok"
    }

    public var isReady: Bool { status == "ok" }
}
