import Foundation
import GRDB

/// How many phone numbers an import staged, and how many of them opted out.
struct StagingCountsRow: StoreReadRow {
    var members: Int
    /// `total()`, a REAL.
    var optedOut: Double

    enum CodingKeys: String, CodingKey {
        case members
        case optedOut = "opted_out"
    }
}
