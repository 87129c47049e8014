import BizOneModel
import Foundation
import GRDB

/// The times of a run; `attempted` comes from the outbox.
struct CampaignRunTimingRow: StoreReadRow {
    var createdAt: String?
    var startedAt: String?
    var finishedAt: String?
    var firstSendAt: String?
    var lastSendAt: String?

    enum CodingKeys: String, CodingKey {
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case firstSendAt = "first_send_at"
        case lastSendAt = "last_send_at"
    }

    func timing(runID: Int64, attempted: Int) throws -> CampaignRunTiming {
        CampaignRunTiming(createdAt: try Campaigns.date(createdAt, "created_at of run \(runID)"),
                          startedAt: startedAt.flatMap(Timestamps.parse), finishedAt: finishedAt.flatMap(Timestamps.parse),
                          firstSendAt: firstSendAt.flatMap(Timestamps.parse), lastSendAt: lastSendAt.flatMap(Timestamps.parse),
                          attempted: attempted)
    }
}
