import Foundation
import GRDB

/// A row of `contacts`; attributes and tags are JSON.
struct ContactRow: StoreRow, Equatable {
    static let databaseTableName = "contacts"

    var phone: String
    var name: String?
    var attributes: [String: String]
    var tags: [String]
    var optedOut: Bool
    var optedOutAt: Date?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case phone, name, attributes, tags
        case optedOut = "opted_out"
        case optedOutAt = "opted_out_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let phone = Column(CodingKeys.phone)
        static let optedOut = Column(CodingKeys.optedOut)
    }

    var record: ContactRecord {
        ContactRecord(phone: phone, name: name, attributes: attributes, tags: tags, optedOut: optedOut,
                      optedOutAt: optedOutAt, createdAt: createdAt, updatedAt: updatedAt)
    }
}
