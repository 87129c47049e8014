import Foundation
import GRDB

/// What a dispatcher reads of its run between batches.
struct CampaignRunControlRow: StoreReadRow {
    var status: String
    var pauseReason: String?
    var pauseSource: String?

    enum CodingKeys: String, CodingKey {
        case status
        case pauseReason = "pause_reason"
        case pauseSource = "pause_source"
    }

    func control() throws -> CampaignRunControl {
        CampaignRunControl(status: try Campaigns.status(status), pauseReason: pauseReason,
                           pauseSource: pauseSource.flatMap(CampaignPauseSource.init(rawValue:)))
    }
}
