import GRDB

/// A row of `audience_members`: one contact in one audience's resolved list.
struct AudienceMemberRow: StoreRow {
    static let databaseTableName = "audience_members"

    var audience: String
    var phone: String

    enum Columns {
        static let audience = Column(CodingKeys.audience)
        static let phone = Column(CodingKeys.phone)
    }
}
