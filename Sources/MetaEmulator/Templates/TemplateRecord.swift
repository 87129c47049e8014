import MetaGraph

/// One template as the emulated Meta keeps it.
struct TemplateRecord: Sendable {
    let id: String
    /// Creation order; list order and cursors are built on it.
    let sequence: Int
    let name: String
    let language: String
    var category: String
    var previousCategory: String?
    var subCategory: String?
    /// `POSITIONAL` or `NAMED`.
    var parameterFormat: String
    /// Normalised: upper-case `type`, `format` and button `type`, as Meta returns them.
    var components: [TemplateComponent]
    var ttl: Int?
    var status: String
    /// `rejected_reason`: `NONE` unless rejected.
    var rejectedReason: String
    var rejectionInfo: WebhookValue.RejectionInfo?
    var quality: QualityScore
    let createdAt: Double
    var updatedAt: Double
    /// Edits made while APPROVED, for the 24-hour and 30-day quotas.
    var approvedEdits = RollingCounter()
    var editCount = 0
    var pauseCount = 0
    /// Bumped by every edit so a review scheduled before it is ignored.
    var reviewGeneration = 0
    var history: [TemplateHistoryEntry] = []

    var bodyText: String { components.first { $0.type == "BODY" }?.text ?? "" }

    var isNamed: Bool { parameterFormat == "NAMED" }

    func component(_ type: String) -> TemplateComponent? { components.first { $0.type == type } }

    mutating func record(_ status: String, reason: String? = nil, at time: Double) {
        self.status = status
        updatedAt = time
        history.append(TemplateHistoryEntry(status: status, reason: reason, time: time))
    }
}

/// A status change of a template, for `/_emulator/templates`.
public struct TemplateHistoryEntry: Sendable, Codable, Hashable {
    public var status: String
    public var reason: String?
    public var time: Double
}
