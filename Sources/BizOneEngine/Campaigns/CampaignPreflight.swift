import BizOneModel
import BizOneStore
import Foundation
import MetaGraph

/// What a run of a campaign would do if it started now, for the confirmation a foreground
/// `bizone campaign run` asks (issue 9 §3), read from the applied state and Meta.
///
/// Meta's messaging limit counts unique users messaged in a rolling 24 hours; recipients of
/// this audience messaged in that time already count, so only the others are new. The limit
/// left is the tier's size less the unique recipients the state knows were messaged in the last
/// 24 hours (every number of the state: since October 2025 the limit is shared by a business
/// portfolio's numbers).
public struct CampaignPreflight: Sendable, Hashable {
    public var campaign: String
    public var template: ResourceID
    public var templateStatus: String?
    public var templateQuality: String?
    /// Why the run would not start (template not sendable, suspended), nil when it would.
    public var blocked: String?
    public var audience: String
    public var finalAudience: Int
    /// Final recipients of this audience sent a message in the last 24 hours.
    public var audienceMessagedLast24Hours: Int
    /// Unique recipients of every message in the last 24 hours.
    public var messagedLast24Hours: Int
    public var rate: Int
    public var phoneNumberID: String?
    /// Meta's tier (`TIER_1K`), nil when Meta could not be asked.
    public var messagingLimitTier: String?
    public var messagingLimit: Int?

    public var estimatedSeconds: Double { rate > 0 ? Double(finalAudience) / Double(rate) : 0 }
    /// Recipients the run would add to the 24-hour count.
    public var newRecipients: Int { max(0, finalAudience - audienceMessagedLast24Hours) }
    /// What the tier still allows in the next 24 hours.
    public var remainingLimit: Int? { messagingLimit.map { max(0, $0 - messagedLast24Hours) } }
    /// The run would message more new users than the tier has left.
    public var exceedsLimit: Bool { remainingLimit.map { newRecipients > $0 } ?? false }

    /// Reads the preflight of an applied campaign; `client` (when given) is asked for the
    /// number's tier, and a failure leaves it unknown.
    public static func read(campaign: String, store: StateStore, meta: MetaClients, now: Date) async throws -> CampaignPreflight {
        let campaignID = ResourceID(kind: .campaign, name: campaign)
        guard let record = try store.appliedResource(campaignID), let spec = try record.content["spec"]?.decode(CampaignSpec.self) else {
            throw CampaignError.noCampaign(campaign)
        }
        let templateID = CampaignTemplateGuard.templateID(of: spec)
        let template = try store.templateRecord(templateID)
        let integration = try store.appliedIntegrations().chosen(spec.integration ?? meta.integration(named: nil))?.spec
        var preflight = CampaignPreflight(
            campaign: campaign, template: templateID, templateStatus: template?.status, templateQuality: template?.quality,
            blocked: CampaignTemplateGuard.blockReason(template: templateID, record: template), audience: spec.audience,
            finalAudience: 0, audienceMessagedLast24Hours: 0, messagedLast24Hours: 0,
            rate: spec.messagesPerSecond(integration: integration), phoneNumberID: integration?.phoneNumberId)
        if spec.suspend { preflight.blocked = preflight.blocked ?? "campaign is suspended (suspend: true)" }
        let since = now.addingTimeInterval(-86_400)
        let audienceID = ResourceID(kind: .audience, name: spec.audience)
        if let audience = try store.appliedResource(audienceID)?.content["spec"]?.decode(AudienceSpec.self) {
            preflight.finalAudience = try store.audienceCounts(spec.audience, spec: audience, now: now).final
            preflight.audienceMessagedLast24Hours = try store.audienceRecipientsMessaged(spec.audience, spec: audience,
                                                                                         since: since, now: now)
        }
        preflight.messagedLast24Hours = try store.recipientsMessaged(since: since)
        if let (_, client) = meta.client(for: spec.integration),
           let tier = try? await client.phoneNumber(fields: ["id", "whatsapp_business_manager_messaging_limit"]).messagingLimit {
            preflight.messagingLimitTier = tier
            preflight.messagingLimit = CampaignForecast.limit(ofTier: tier)
        }
        return preflight
    }
}
