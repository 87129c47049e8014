import Foundation
import GRDB

/// One group of a `SELECT <column> AS key, COUNT(*) AS count ... GROUP BY <column>`.
struct GroupCountRow<Key: Decodable & Sendable>: StoreReadRow {
    var key: Key
    var count: Int
}
