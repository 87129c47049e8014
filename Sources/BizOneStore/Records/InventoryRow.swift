import Foundation
import GRDB

/// A row of `inventory`: a resource BizOne created and may therefore delete.
struct InventoryRow: StoreRow {
    static let databaseTableName = "inventory"

    var resourceID: String
    var createdAt: Date
    var createdByRun: String?

    enum CodingKeys: String, CodingKey {
        case resourceID = "resource_id"
        case createdAt = "created_at"
        case createdByRun = "created_by_run"
    }

    enum Columns {
        static let resourceID = Column(CodingKeys.resourceID)
    }
}
