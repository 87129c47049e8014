import BizOneModel
import Foundation
import GRDB

/// A row of `template_history`: one event in a template's life. Never deleted.
struct TemplateHistoryRow: StoreRow {
    static let databaseTableName = "template_history"

    /// Assigned by SQLite (AUTOINCREMENT) on insert.
    var id: Int64?
    var resourceID: String
    var at: Date
    var event: String
    var status: String?
    var category: String?
    var quality: String?
    var reason: String?
    var detail: String?
    var source: String

    enum CodingKeys: String, CodingKey {
        case id, at, event, status, category, quality, reason, detail, source
        case resourceID = "resource_id"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let resourceID = Column(CodingKeys.resourceID)
        static let at = Column(CodingKeys.at)
    }

    init(id resource: ResourceID, _ entry: TemplateHistoryEntry) {
        id = nil
        resourceID = resource.description
        at = entry.at
        event = entry.event
        status = entry.status
        category = entry.category
        quality = entry.quality
        reason = entry.reason
        detail = entry.detail
        source = entry.source
    }

    var entry: TemplateHistoryEntry {
        TemplateHistoryEntry(at: at, event: event, status: status, category: category, quality: quality,
                             reason: reason, detail: detail, source: source)
    }
}
