import Foundation

/// What a campaign would do if it ran now, shown by `bizone plan` next to the changes
/// (issue 6 §3): not a change itself, so it never makes a plan non-empty.
public struct CampaignForecast: Sendable, Hashable, Codable {
    public var campaign: String
    /// `name@language` of the template it sends.
    public var template: String
    /// Meta's status of the template (nil: not known at Meta yet).
    public var templateStatus: String?
    public var templateQuality: String?
    /// Why a run would not start now (template not APPROVED, `suspend: true`); nil: it can run.
    public var blocked: String?
    /// `suspend: true` in the campaign's YAML.
    public var suspended: Bool = false
    public var audience: String
    /// Recipients after de-duplication, opt-outs and exclusions; nil when it cannot be counted.
    public var finalAudience: Int?
    /// Whether `finalAudience` previews a declaration that apply has not imported yet.
    public var audiencePreview: Bool
    public var schedule: String?
    public var timeZone: String?
    /// The next occurrences of the schedule (empty: none left, or no schedule).
    public var nextRuns: [Date]
    /// Messages per second the run would send at.
    public var rate: Int
    /// `finalAudience / rate`, in seconds.
    public var estimatedSeconds: Double?
    /// Meta's messaging-limit tier of the sending number (`TIER_2K`...), when Meta was asked.
    public var messagingLimitTier: String?
    /// Unique users the tier allows per 24 h; nil when unlimited or unknown.
    public var messagingLimit: Int?

    public init(campaign: String, template: String, templateStatus: String? = nil, templateQuality: String? = nil,
                blocked: String? = nil, audience: String, finalAudience: Int? = nil, audiencePreview: Bool = false,
                schedule: String? = nil, timeZone: String? = nil, nextRuns: [Date] = [], rate: Int,
                estimatedSeconds: Double? = nil, messagingLimitTier: String? = nil, messagingLimit: Int? = nil) {
        self.campaign = campaign
        self.template = template
        self.templateStatus = templateStatus
        self.templateQuality = templateQuality
        self.blocked = blocked
        self.audience = audience
        self.finalAudience = finalAudience
        self.audiencePreview = audiencePreview
        self.schedule = schedule
        self.timeZone = timeZone
        self.nextRuns = nextRuns
        self.rate = rate
        self.estimatedSeconds = estimatedSeconds
        self.messagingLimitTier = messagingLimitTier
        self.messagingLimit = messagingLimit
    }

    /// Unique users per rolling 24 h for a `whatsapp_business_manager_messaging_limit` value
    /// (reference §18; older per-number tiers included); nil for unlimited or unknown values.
    public static func limit(ofTier tier: String) -> Int? {
        switch tier.uppercased() {
        case "TIER_50": return 50
        case "TIER_250": return 250
        case "TIER_1K": return 1_000
        case "TIER_2K": return 2_000
        case "TIER_10K": return 10_000
        case "TIER_100K": return 100_000
        default: return nil
        }
    }

    /// Whether the audience is larger than the messaging limit allows in 24 h.
    public var exceedsMessagingLimit: Bool {
        guard let finalAudience, let messagingLimit else { return false }
        return finalAudience > messagingLimit
    }
}
