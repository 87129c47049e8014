import BizOneModel
import Foundation
import GRDB

/// A run's lease: who dispatches it, until when (both NULL when free).
struct CampaignRunLeaseRow: StoreReadRow {
    var holder: String?
    var until: String?

    enum CodingKeys: String, CodingKey {
        case holder = "lease_holder"
        case until = "lease_until"
    }

    /// An unreadable expiry counts as long past, so the lease can be taken over.
    var expiry: Date { until.flatMap(Timestamps.parse) ?? .distantPast }
}
