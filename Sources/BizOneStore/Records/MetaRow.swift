import GRDB

/// A key/value pair of `state_meta`: the file's lineage and serial.
struct MetaRow: StoreRow {
    static let databaseTableName = "state_meta"
    static let lineageKey = "lineage"
    static let serialKey = "serial"

    var key: String
    var value: String

    enum Columns {
        static let key = Column(CodingKeys.key)
        static let value = Column(CodingKeys.value)
    }

    static func value(_ db: Database, _ key: String) throws -> String {
        guard let row = try MetaRow.fetchOne(db, key: key) else {
            throw StoreError.corrupt("state_meta has no \(key)")
        }
        return row.value
    }

    static func lineage(_ db: Database) throws -> String { try value(db, lineageKey) }

    static func serial(_ db: Database) throws -> Int {
        let text = try value(db, serialKey)
        guard let serial = Int(text) else { throw StoreError.corrupt("state serial is not a number: \(text)") }
        return serial
    }

    static func setSerial(_ db: Database, _ serial: Int) throws {
        try MetaRow(key: serialKey, value: String(serial)).save(db)
    }
}
