import Foundation
import GRDB

/// A row of `template_creates`: one template creation Meta accepted (hourly limit). Kept after
/// the template is deleted, because the creation still counts.
struct TemplateCreateRow: StoreRow {
    static let databaseTableName = "template_creates"

    var at: Date
    var resourceID: String
    var templateID: String?

    enum CodingKeys: String, CodingKey {
        case at
        case resourceID = "resource_id"
        case templateID = "template_id"
    }

    enum Columns {
        static let at = Column(CodingKeys.at)
    }
}
