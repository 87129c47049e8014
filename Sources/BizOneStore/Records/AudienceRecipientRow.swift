import BizOneModel
import Foundation
import GRDB

/// One final recipient of an audience, attributes as stored (JSON text).
struct AudienceRecipientRow: StoreReadRow {
    static let keyColumns = ["phone"]

    var phone: String
    var name: String?
    var attributes: String
}
