import Foundation
import GRDB

/// `AudienceQuery.countsSQL`: candidates, opted out, excluded (the last two `total()`s, REAL).
struct AudienceCountsRow: StoreReadRow {
    var contacts: Int
    var optedOut: Double
    var excluded: Double

    enum CodingKeys: String, CodingKey {
        case contacts, excluded
        case optedOut = "opted_out"
    }

    func counts() throws -> (contacts: Int, optedOut: Int, excluded: Int) {
        (contacts, try Self.count(optedOut, "audience opted-out total"), try Self.count(excluded, "audience excluded total"))
    }
}
