import BizOneModel
import Foundation
import GRDB

/// A row of `template_state`: what the state file last knew of one template at Meta.
struct TemplateStateRow: StoreRow, Equatable {
    static let databaseTableName = "template_state"

    /// The printed `ResourceID` (`template/name@lang`).
    var resourceID: String
    var templateID: String?
    var status: String?
    var category: String?
    var quality: String?
    var reason: String?
    var reasonDetail: String?
    var appliedFingerprint: String?
    var statusChangedAt: Date?
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case status, category, quality, reason
        case resourceID = "resource_id"
        case templateID = "template_id"
        case reasonDetail = "reason_detail"
        case appliedFingerprint = "applied_fingerprint"
        case statusChangedAt = "status_changed_at"
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let resourceID = Column(CodingKeys.resourceID)
        static let templateID = Column(CodingKeys.templateID)
    }

    /// An empty row for a template the state has not heard of yet.
    init(id: ResourceID, at date: Date) {
        resourceID = id.description
        updatedAt = date
    }

    /// The same stored facts (everything but `updated_at`).
    func sameFacts(as other: TemplateStateRow) -> Bool {
        var other = other
        other.updatedAt = updatedAt
        return self == other
    }

    func resourceIDValue() throws -> ResourceID {
        guard let id = ResourceID(parsing: resourceID), id.kind == .template else {
            throw StoreError.corrupt("template_state has a row for \(resourceID), which is not a template id")
        }
        return id
    }

    func record(approvedEdits: [Date]) throws -> TemplateRecord {
        TemplateRecord(id: try resourceIDValue(), templateID: templateID, status: status, category: category, quality: quality,
                       reason: reason, reasonDetail: reasonDetail, appliedFingerprint: appliedFingerprint,
                       approvedEdits: approvedEdits, statusChangedAt: statusChangedAt)
    }
}
