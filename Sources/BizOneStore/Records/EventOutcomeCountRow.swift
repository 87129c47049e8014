import Foundation
import GRDB

/// Webhook events of one outcome, and how many of them were processed.
struct EventOutcomeCountRow: StoreReadRow {
    var outcome: String
    var count: Int
    var processed: Int
}
