/// Every kind of resource `bizone/v1` knows, in the order changes are applied.
public enum ResourceKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case role = "Role"
    case user = "User"
    case integration = "Integration"
    case mailer = "Mailer"
    case template = "Template"
    case audience = "Audience"
    case schedule = "Schedule"
    case webhookRoute = "WebhookRoute"
    case sla = "SLA"
    case cannedResponse = "CannedResponse"
    case campaign = "Campaign"

    /// Lower-case form used in IDs (`role/admin`, `template/welcome@en_US`).
    public var slug: String { rawValue.lowercased() }

    public init?(slug: String) {
        guard let kind = ResourceKind.allCases.first(where: { $0.slug == slug.lowercased() }) else { return nil }
        self = kind
    }

    /// Creates and updates run in this order; deletes run in reverse (DESIGN.md §4).
    public var applyOrder: Int { ResourceKind.allCases.firstIndex(of: self)! }

    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.applyOrder < rhs.applyOrder }

    /// Kinds whose desired state lives only in SQLite and can be applied without Meta.
    public var isLocal: Bool { self != .template }
}
