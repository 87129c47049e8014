import BizOneEngine
import BizOneModel

/// The confirmation screen of `bizone campaign run --now`: what would be sent, to whom, how
/// fast, and how it sits with the messaging limit.
struct CampaignPreflightReport {
    var preflight: CampaignPreflight
    var terminal: Terminal

    func render() -> String {
        let p = preflight
        var table = TextTable(["", ""])
        let status = p.templateStatus.map { " (\($0)\(p.templateQuality.map { ", quality \($0)" } ?? ""))" } ?? ""
        table.add(["template", "\(p.template.name)@\(p.template.language ?? "") \(TemplateHealth.of(p.templateStatus))\(status)"])
        table.add(["audience", "\(p.audience): \(p.finalAudience) final recipients"])
        table.add(["rate", "\(p.rate) msg/s, about \(PlanRenderer.duration(p.estimatedSeconds))"
                   + (p.phoneNumberID.map { " (phone number \($0))" } ?? "")])
        let limit: String
        if let tier = p.messagingLimitTier {
            let size = p.messagingLimit.map { "\($0) unique recipients per 24 h" } ?? "size unknown"
            limit = "\(tier): \(size); \(p.messagedLast24Hours) messaged in the last 24 h"
                + (p.remainingLimit.map { ", \($0) left" } ?? "")
        } else {
            limit = "unknown (Meta was not asked); \(p.messagedLast24Hours) messaged in the last 24 h"
        }
        table.add(["messaging limit", limit])
        table.add(["last 24 h", "\(p.audienceMessagedLast24Hours) of this audience already messaged; \(p.newRecipients) new recipients"])
        var lines = [terminal.bold("Campaign \(p.campaign)")]
        lines += table.render().split(separator: "\n").dropFirst().map { "  " + $0 }
        if let blocked = p.blocked {
            lines.append("  " + terminal.red("x") + " will not start: \(blocked)")
        } else if p.exceedsLimit {
            lines.append("  " + terminal.yellow("!") + " \(p.newRecipients) new recipients exceed the \(p.remainingLimit ?? 0) left today")
        }
        return lines.joined(separator: "\n")
    }
}
