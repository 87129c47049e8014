import Foundation
import GRDB

/// A row of `sender_leases`: the process that sends for a phone number, and until when.
struct SenderLeaseRow: StoreRow {
    static let databaseTableName = "sender_leases"

    var phoneNumberID: String
    var holder: String
    var acquiredAt: Date
    var expiresAt: Date

    enum CodingKeys: String, CodingKey {
        case holder
        case phoneNumberID = "phone_number_id"
        case acquiredAt = "acquired_at"
        case expiresAt = "expires_at"
    }

    enum Columns {
        static let phoneNumberID = Column(CodingKeys.phoneNumberID)
        static let holder = Column(CodingKeys.holder)
        static let expiresAt = Column(CodingKeys.expiresAt)
    }
}
