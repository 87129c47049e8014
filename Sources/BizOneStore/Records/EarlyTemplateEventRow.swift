import BizOneModel
import Foundation
import GRDB

/// A row of `early_template_events`: a template webhook about a Meta template id no applied
/// template has yet (see `StoreMigrations.v6EarlyTemplateEvents`).
struct EarlyTemplateEventRow: StoreRow {
    static let databaseTableName = "early_template_events"

    var id: Int64?
    var templateID: String
    var eventID: Int64
    var change: String
    var status: String?
    var category: String?
    var quality: String?
    var reason: String?
    var reasonDetail: String?
    var at: Date
    var receivedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, change, status, category, quality, reason, at
        case templateID = "template_id"
        case eventID = "event_id"
        case reasonDetail = "reason_detail"
        case receivedAt = "received_at"
    }

    enum Columns {
        static let templateID = Column(CodingKeys.templateID)
        static let at = Column(CodingKeys.at)
        static let receivedAt = Column(CodingKeys.receivedAt)
    }

    init(_ event: EarlyTemplateEvent) {
        templateID = event.templateID
        eventID = event.eventID
        change = event.change.rawValue
        status = event.status
        category = event.category
        quality = event.quality
        reason = event.reason
        reasonDetail = event.reasonDetail
        at = event.at
        receivedAt = event.receivedAt
    }

    /// Oldest change first; rowid keeps arrival order within one second.
    static func chronological() -> QueryInterfaceRequest<EarlyTemplateEventRow> {
        EarlyTemplateEventRow.order(Columns.at, Column.rowID)
    }

    /// nil for a change name this version does not know (a row written by a newer one).
    var value: EarlyTemplateEvent? {
        guard let change = EarlyTemplateEvent.Change(rawValue: change) else { return nil }
        return EarlyTemplateEvent(templateID: templateID, eventID: eventID, change: change, status: status, category: category,
                                  quality: quality, reason: reason, reasonDetail: reasonDetail, at: at, receivedAt: receivedAt)
    }

    /// The observation as a status update of the template `id` that now carries this Meta id.
    func update(for id: ResourceID, source: String) -> TemplateStatusUpdate {
        TemplateStatusUpdate(id: id, templateID: templateID, status: status, category: category, quality: quality,
                             reason: reason, reasonDetail: reasonDetail, source: source, at: at)
    }
}
