import BizOneModel
import Foundation

extension PlanRenderer {
    /// The campaigns section: what each declared campaign would do if it ran now. Forecasts
    /// are not changes, so they sit apart from the actions and the summary line.
    func campaignLines(_ forecasts: [CampaignForecast]) -> [String] {
        guard !forecasts.isEmpty else { return [] }
        var table = TextTable(["CAMPAIGN", "TEMPLATE", "HEALTH", "AUDIENCE", "RATE", "EST. DURATION", "MESSAGING LIMIT", "NEXT RUNS"])
        for forecast in forecasts {
            let health = forecast.suspended ? "Suspended" : forecast.blocked != nil ? "Blocked" : TemplateHealth.of(forecast.templateStatus)
            let status = forecast.templateStatus.map { " (\($0))" } ?? ""
            let audience = forecast.finalAudience.map { AudienceReport.grouped($0) + (forecast.audiencePreview ? " (preview)" : "") } ?? "?"
            let duration = forecast.estimatedSeconds.map(Self.duration) ?? "?"
            var limit = forecast.messagingLimitTier ?? "unknown"
            if let allowed = forecast.messagingLimit { limit += " (\(AudienceReport.grouped(allowed))/24 h)" }
            if forecast.exceedsMessagingLimit { limit += " exceeded" }
            table.add([forecast.campaign, forecast.template, health + status, audience, "\(forecast.rate)/s", duration, limit,
                       nextRuns(forecast)])
        }
        var lines = ["", terminal.bold("Campaigns") + " (a forecast, not counted as changes):"]
        lines += table.render().split(separator: "\n").map { "  " + $0 }
        for forecast in forecasts {
            if let blocked = forecast.blocked {
                lines.append("  \(terminal.red("x")) \(forecast.campaign) will not run: \(blocked)")
            }
        }
        return lines
    }

    private func nextRuns(_ forecast: CampaignForecast) -> String {
        guard forecast.schedule != nil else { return "by hand only (no schedule)" }
        guard !forecast.nextRuns.isEmpty else { return "none left" }
        let zone = forecast.timeZone.flatMap(TimeZone.init(identifier:)) ?? .gmt
        return forecast.nextRuns.map { Timestamps.formatLocal($0, in: zone) }.joined(separator: ", ") + " \(zone.identifier)"
    }

    /// 22.25 -> "23 s", 222 -> "3 min 42 s", 4_500 -> "1 h 15 min".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e9 else { return "unbounded" }
        let total = Int(max(0, seconds).rounded(.up))
        if total < 60 { return "\(total) s" }
        if total < 3_600 { return "\(total / 60) min" + (total % 60 == 0 ? "" : " \(total % 60) s") }
        return "\(total / 3_600) h" + (total % 3_600 / 60 == 0 ? "" : " \(total % 3_600 / 60) min")
    }
}
