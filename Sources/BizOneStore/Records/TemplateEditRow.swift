import Foundation
import GRDB

/// A row of `template_edits`: one edit of a template made while it was APPROVED (quota log).
struct TemplateEditRow: StoreRow {
    static let databaseTableName = "template_edits"

    var resourceID: String
    var at: Date

    enum CodingKeys: String, CodingKey {
        case at
        case resourceID = "resource_id"
    }

    enum Columns {
        static let resourceID = Column(CodingKeys.resourceID)
        static let at = Column(CodingKeys.at)
    }

    /// Oldest first; rowid breaks ties within one second.
    static func chronological() -> QueryInterfaceRequest<TemplateEditRow> {
        TemplateEditRow.order(Columns.at, Column.rowID)
    }
}
