import MetaGraph

/// A template's full state, for `/_emulator/templates`.
public struct TemplateSnapshot: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var language: String
    public var category: String
    public var previousCategory: String?
    public var status: String
    public var parameterFormat: String
    public var components: [TemplateComponent]
    public var qualityScore: QualityScore
    public var rejectedReason: String
    public var rejectionInfo: WebhookValue.RejectionInfo?
    public var ttl: Int?
    public var createdAt: Double
    public var updatedAt: Double
    public var editCount: Int
    public var pauseCount: Int
    public var history: [TemplateHistoryEntry]

    init(_ record: TemplateRecord) {
        id = record.id
        name = record.name
        language = record.language
        category = record.category
        previousCategory = record.previousCategory
        status = record.status
        parameterFormat = record.parameterFormat
        components = record.components
        qualityScore = record.quality
        rejectedReason = record.rejectedReason
        rejectionInfo = record.rejectionInfo
        ttl = record.ttl
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        editCount = record.editCount
        pauseCount = record.pauseCount
        history = record.history
    }
}
