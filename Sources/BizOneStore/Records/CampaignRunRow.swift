import BizOneModel
import Foundation
import GRDB

/// A row of `campaign_runs` as `Campaigns.columns` selects it.
struct CampaignRunRow: StoreReadRow {
    static let keyColumns = ["id"]

    var id: Int64
    var campaign: String
    var trigger: String
    var scheduledFor: String?
    var status: String
    var pauseReason: String?
    var createdAt: String?
    var startedAt: String?
    var finishedAt: String?
    var recipients: Int

    enum CodingKeys: String, CodingKey {
        case id, campaign, trigger, status, recipients
        case scheduledFor = "scheduled_for"
        case pauseReason = "pause_reason"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    func record() throws -> CampaignRunRecord {
        guard let trigger = CampaignRunRecord.Trigger(rawValue: self.trigger) else {
            throw StoreError.corrupt("campaign run \(id) has an unknown trigger \(self.trigger)")
        }
        return CampaignRunRecord(
            id: id, campaign: campaign, trigger: trigger, scheduledFor: scheduledFor.flatMap(Timestamps.parse),
            status: try Campaigns.status(status), pauseReason: pauseReason, createdAt: try Campaigns.date(createdAt, "created_at of run \(id)"),
            startedAt: startedAt.flatMap(Timestamps.parse), finishedAt: finishedAt.flatMap(Timestamps.parse),
            recipients: recipients)
    }
}
