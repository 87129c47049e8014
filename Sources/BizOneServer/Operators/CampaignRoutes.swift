import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// Campaigns for operators: `GET /api/campaigns` (each applied campaign with its runs and their
/// progress by recipient state) and `POST /api/campaigns/{name}/pause|resume|cancel`, the same
/// store operations as `bizone campaign pause|resume|cancel`; `serve`'s dispatcher sees them at
/// its next batch. Pause and resume need `campaigns:pause`, cancel `campaigns:run`.
struct CampaignRoutes: Sendable {
    let store: StateStore
    let now: @Sendable () -> Date
    let forecast: (@Sendable () async -> [CampaignForecast])?

    /// What `bizone plan` forecasts for the campaign.
    struct Forecast: Encodable {
        var templateStatus: String?
        var blocked: String?
        var audience: Int?
        var audiencePreview: Bool
        var nextRuns: [Date]
    }

    struct Campaign: Encodable {
        var name: String
        var template: String?
        var audience: String?
        var suspended: Bool
        var forecast: Forecast?
        var runs: [Run]
    }

    struct Run: Encodable {
        var id: Int64
        var trigger: String
        var status: String
        var pauseReason: String?
        var scheduledFor: Date?
        var startedAt: Date?
        var finishedAt: Date?
        var recipients: Int
        var progress: [String: Int]
        var failedByCode: [String: Int]
    }

    struct Reason: Decodable { var reason: String? }

    func register(on router: inout GuardedRouter) {
        router.get("/api/campaigns", .permission(Permission("campaigns", "read"))) { _, _, _ in
            let store = self.store
            var found: [String: CampaignForecast] = [:]
            if let forecast {
                for item in await forecast() where found[item.campaign] == nil { found[item.campaign] = item }
            }
            let forecasts = found
            let campaigns = try await Blocking.run { () -> [Campaign] in
                let runs = Dictionary(grouping: try store.campaignRuns(), by: \.campaign)
                return try store.appliedResources(of: [.campaign]).sorted { $0.id < $1.id }.map { resource in
                    let spec = try? resource.content["spec"]?.decode(CampaignSpec.self)
                    let predicted = forecasts[resource.id.name].map {
                        Forecast(templateStatus: $0.templateStatus, blocked: $0.blocked, audience: $0.finalAudience,
                                 audiencePreview: $0.audiencePreview, nextRuns: $0.nextRuns)
                    }
                    return Campaign(name: resource.id.name, template: spec.map { "\($0.template.name)@\($0.template.language)" },
                                    audience: spec?.audience, suspended: spec?.suspend ?? false, forecast: predicted,
                                    runs: try (runs[resource.id.name] ?? []).suffix(20).map { run in
                                        let counts = try store.campaignRunCounts(runID: run.id)
                                        return Run(id: run.id, trigger: run.trigger.rawValue, status: run.status.rawValue,
                                                   pauseReason: run.pauseReason, scheduledFor: run.scheduledFor, startedAt: run.startedAt,
                                                   finishedAt: run.finishedAt, recipients: run.recipients, progress: counts.byState,
                                                   failedByCode: counts.failedByCode)
                                    })
                }
            }
            return JSONResponse.make(.ok, ["campaigns": campaigns])
        }
        let actions: [(String, String, @Sendable (StateStore, String, String, Date) throws -> [Int64])] = [
            ("pause", "pause", { store, name, reason, at in try store.pauseCampaignRuns(campaign: name, reason: reason, source: .manual, at: at) }),
            ("resume", "pause", { store, name, _, at in try store.resumeCampaignRuns(campaign: name, at: at) }),
            ("cancel", "run", { store, name, _, at in try store.cancelCampaignRuns(campaign: name, at: at) }),
        ]
        for (verb, action, perform) in actions {
            router.post("/api/campaigns/{name}/\(verb)", .permission(Permission("campaigns", action))) { request, context, principal in
                guard let name = context.parameters.get("name") else { throw ApiError.badRequest("name: missing") }
                let who = try MeRoutes.required(principal).user.name
                let body = try await JSONBody.decodeIfPresent(Reason.self, from: request)
                let store = self.store
                let at = now()
                let reason = body?.reason.map { String($0.prefix(200)) } ?? "\(verb)d by \(who) in the API"
                let runs = try await Blocking.run { () -> [Int64]? in
                    guard try store.appliedResource(ResourceID(kind: .campaign, name: name)) != nil else { return nil }
                    return try perform(store, name, reason, at)
                }
                guard let runs else { throw ApiError(.notFound, "not_found", "no applied campaign \(name)") }
                return JSONResponse.make(.ok, ["campaign": name, "action": verb, "runs": runs.map(String.init).joined(separator: ",")])
            }
        }
    }
}
