import BizOneConfig
import BizOneModel
import BizOneStore
import Foundation

extension Engine {
    /// How many next run times a forecast lists.
    static let forecastRuns = 3

    /// Forecasts every declared campaign (issue 6 §3). The audience is counted from the state
    /// when the declaration is applied unchanged, otherwise previewed from its rows without
    /// writing (as `bizone audience show` does). The template's status is Meta's when the plan
    /// refreshed (`remote`), otherwise the last one recorded. The messaging-limit tier is asked
    /// of Meta only when `refresh` is set and a client exists; a failure leaves it unknown.
    /// The forecast of every declared campaign from the state alone (no Meta call), for the API.
    public func forecastCampaigns(desired: DesiredState) async -> [CampaignForecast] {
        await forecastCampaigns(desired: desired, remote: nil, refresh: false)
    }

    func forecastCampaigns(desired: DesiredState, remote: [ResourceID: RemoteTemplate]?, refresh: Bool) async -> [CampaignForecast] {
        var tiers: [String: String?] = [:]
        var forecasts: [CampaignForecast] = []
        let now = now()
        for resource in desired.resources(of: .campaign) {
            guard case .campaign(let spec) = resource.spec else { continue }
            let templateID = CampaignTemplateGuard.templateID(of: spec)
            var forecast = CampaignForecast(campaign: resource.id.name, template: "\(spec.template.name)@\(spec.template.language)",
                                            audience: spec.audience, schedule: spec.schedule, rate: rate(of: spec, desired: desired))
            if let remoteTemplate = remote?[templateID] {
                forecast.templateStatus = remoteTemplate.status
                forecast.templateQuality = remoteTemplate.quality
                forecast.blocked = CampaignTemplateGuard.blockReason(template: templateID, status: remoteTemplate.status,
                                                                     reason: remoteTemplate.rejectedReason, quality: remoteTemplate.quality)
            } else {
                let record = remote == nil ? try? store.templateRecord(templateID) : nil
                forecast.templateStatus = record?.status
                forecast.templateQuality = record?.quality
                forecast.blocked = CampaignTemplateGuard.blockReason(template: templateID, record: record)
            }
            if spec.suspend {
                forecast.suspended = true
                forecast.blocked = forecast.blocked ?? "campaign is suspended (suspend: true)"
            }
            if let (final, preview) = audienceSize(spec.audience, desired: desired, now: now) {
                forecast.finalAudience = final
                forecast.audiencePreview = preview
                if forecast.rate > 0 { forecast.estimatedSeconds = Double(final) / Double(forecast.rate) }
            }
            if let name = spec.schedule, case .schedule(let schedule)? = desired[ResourceID(kind: .schedule, name: name)]?.spec {
                forecast.timeZone = schedule.timezone
                forecast.nextRuns = ScheduleEvaluator().nextRuns(schedule, after: now, count: Self.forecastRuns)
            }
            if refresh, let (integration, client) = meta.client(for: spec.integration) {
                if tiers[integration] == nil {
                    let phone = try? await client.phoneNumber(fields: ["id", "whatsapp_business_manager_messaging_limit"])
                    tiers[integration] = .some(phone?.messagingLimit)
                }
                if let tier = tiers[integration] ?? nil {
                    forecast.messagingLimitTier = tier
                    forecast.messagingLimit = CampaignForecast.limit(ofTier: tier)
                }
            }
            forecasts.append(forecast)
        }
        return forecasts
    }

    /// The campaign's rate (`CampaignSpec.messagesPerSecond`), with the declared integration.
    private func rate(of spec: CampaignSpec, desired: DesiredState) -> Int {
        spec.messagesPerSecond(integration: IntegrationSet(desired: desired).chosen(spec.integration)?.spec)
    }

    /// The final audience size, and whether it is a preview of an unapplied declaration.
    private func audienceSize(_ name: String, desired: DesiredState, now: Date) -> (Int, Bool)? {
        let id = ResourceID(kind: .audience, name: name)
        guard let resource = desired[id], case .audience(let spec) = resource.spec else { return nil }
        let applied = try? store.appliedResource(id)
        if let applied, applied.contentHash == resource.contentHash {
            return (try? store.audienceCounts(name, spec: spec, now: now)).map { ($0.final, false) }
        }
        let rows = AudienceRows(spec, inputs: resource.inputs, checkDigest: false)
        return (try? store.previewAudience(name, spec: spec, rows: rows, now: now, sample: 0)).map { ($0.counts.final, true) }
    }
}
