import Foundation

/// A template as Meta reports it, reduced to what planning compares. Built by the engine from
/// the Graph listing, so the planner never sees Graph JSON.
public struct RemoteTemplate: Sendable, Hashable, Codable {
    /// Meta's template id.
    public var templateID: String
    public var name: String
    public var language: String
    /// `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, `DISABLED`, ... (kept as an open string).
    public var status: String
    public var category: String
    /// `named` or `positional`.
    public var parameterFormat: String
    /// Hash of the normalised components: equal when Meta holds what BizOne would send.
    public var fingerprint: String
    public var quality: String?
    public var rejectedReason: String?

    public init(templateID: String, name: String, language: String, status: String, category: String,
                parameterFormat: String, fingerprint: String, quality: String? = nil, rejectedReason: String? = nil) {
        self.templateID = templateID
        self.name = name
        self.language = language
        self.status = status
        self.category = category
        self.parameterFormat = parameterFormat
        self.fingerprint = fingerprint
        self.quality = quality
        self.rejectedReason = rejectedReason
    }

    public var id: ResourceID { ResourceID(kind: .template, name: name, language: language) }
}

/// What the state file remembers of a template beyond its applied content: Meta's id, the last
/// known status, and the edit log the quota rules need.
public struct TemplateRecord: Sendable, Hashable, Codable {
    public var id: ResourceID
    public var templateID: String?
    public var status: String?
    public var category: String?
    public var quality: String?
    /// Meta's rejection (or pause/disable) reason, e.g. `INVALID_FORMAT`.
    public var reason: String?
    /// Meta's human text for the reason (`rejection_info`), when it gave one.
    public var reasonDetail: String?
    /// Fingerprint of the components at the last apply: a different one at Meta is drift.
    public var appliedFingerprint: String?
    /// Times this template was edited while APPROVED (1 per 24 h, 10 per 30 days).
    public var approvedEdits: [Date]
    public var statusChangedAt: Date?

    public init(id: ResourceID, templateID: String? = nil, status: String? = nil, category: String? = nil, quality: String? = nil,
                reason: String? = nil, reasonDetail: String? = nil, appliedFingerprint: String? = nil,
                approvedEdits: [Date] = [], statusChangedAt: Date? = nil) {
        self.id = id
        self.templateID = templateID
        self.status = status
        self.category = category
        self.quality = quality
        self.reason = reason
        self.reasonDetail = reasonDetail
        self.appliedFingerprint = appliedFingerprint
        self.approvedEdits = approvedEdits
        self.statusChangedAt = statusChangedAt
    }
}

/// Meta's rules for templates that planning applies (reference §6.9).
public enum TemplateLimits {
    public static let createsPerHour = 100
    public static let approvedEditsPer24h = 1
    public static let approvedEditsPer30d = 10
    public static let nameLockAfterDelete: TimeInterval = 30 * 86_400
    /// Statuses Meta lets BizOne edit in place.
    public static let editableStatuses: Set<String> = ["APPROVED", "REJECTED", "PAUSED"]
}
