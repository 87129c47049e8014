import BizOneModel
import BizOnePlanner
import BizOneStore
import Foundation
import Logging
import MetaGraph

/// The composition of store, Meta and planner that commands use.
public struct Engine: Sendable {
    public let store: StateStore
    public let meta: MetaClients
    /// Meta allows 100 template creations per hour; emulator runs and benchmarks raise it.
    public var templateCreatesPerHour = TemplateLimits.createsPerHour
    public let logger: Logger
    /// Injected so runs and records can be tested with a fixed clock.
    public let now: @Sendable () -> Date

    public init(store: StateStore, meta: MetaClients = MetaClients(), logger: Logger = Logger(label: "bizone.engine"),
                now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.meta = meta
        self.logger = logger
        self.now = now
    }

    /// Plans from the state file alone, templates pending (no Meta).
    public func plan(desired: DesiredState, options: PlanOptions) throws -> Plan {
        let observed = try store.observedState()
        return Planner.plan(desired: desired, observed: observed, options: options)
    }

    /// Observes the state file and, for templates, Meta (unless `refresh` is false), then plans.
    /// Without a Graph client for the templates' integration, templates stay pending and a
    /// warning says why.
    public func plan(desired: DesiredState, options: PlanOptions, refresh: Bool) async throws -> Plan {
        let (plan, remote) = try await planResources(desired: desired, options: options, refresh: refresh)
        var forecast = plan
        forecast.campaigns = await forecastCampaigns(desired: desired, remote: remote, refresh: refresh)
        for campaign in forecast.campaigns where campaign.exceedsMessagingLimit {
            let location = desired[ResourceID(kind: .campaign, name: campaign.campaign)]?.location
            forecast.diagnostics.append(.warning(
                "campaign \(campaign.campaign) reaches \(campaign.finalAudience ?? 0) recipients but the number's messaging limit "
                    + "(\(campaign.messagingLimitTier ?? "?")) allows \(campaign.messagingLimit ?? 0) unique users per 24 hours",
                at: location, hint: "Meta refuses template messages beyond the limit; split the audience over days or raise the tier"))
        }
        return forecast
    }

    private func planResources(desired: DesiredState, options: PlanOptions, refresh: Bool) async throws
        -> (Plan, [ResourceID: RemoteTemplate]?) {
        let observed = try store.observedState()
        let templates = desired.resources(of: .template)
        if templates.isEmpty && !observed.resources.keys.contains(where: { $0.kind == .template }) {
            // No template declared or managed: nothing to ask Meta.
            return (Planner.plan(desired: desired, observed: observed, options: options), nil)
        }
        let unreachable = Set(templates.compactMap { resource -> String? in
            guard case .template(let spec) = resource.spec, meta.client(for: spec.integration) == nil else { return nil }
            return spec.integration ?? meta.unavailable.keys.sorted().first ?? "the integration"
        })
        if !unreachable.isEmpty {
            var plan = Planner.plan(desired: desired, observed: observed, options: options)
            let why = unreachable.sorted().map { "\($0): \(meta.unavailable[$0] ?? "no Graph client")" }.joined(separator: "; ")
            plan.diagnostics.append(.warning("templates were not compared with Meta (\(why))", at: nil,
                                             hint: "set the integration's access token (and BIZONE_GRAPH_URL for the emulator) to plan templates"))
            return (plan, nil)
        }
        let records = try store.templateRecords()
        var remote: [ResourceID: RemoteTemplate]?
        if refresh {
            remote = try await observeRemote()
        }
        var fingerprints: [ResourceID: String] = [:]
        for resource in templates {
            if case .template(let spec) = resource.spec { fingerprints[resource.id] = TemplateFingerprint.of(spec) }
        }
        let creates = try store.templateCreates(since: now().addingTimeInterval(-3_600))
        let observation = TemplateObservationSet(records: records, remote: remote, desiredFingerprints: fingerprints,
                                                 createsInLastHour: creates, now: now(), createsPerHour: templateCreatesPerHour)
        var plan = Planner.plan(desired: desired, observed: observed, templates: observation, options: options)
        for index in plan.changes.indices where plan.changes[index].id.kind == .template {
            let integration = desired[plan.changes[index].id].flatMap(integrationName(of:)) ?? meta.client(for: nil)?.name
            if let integration { plan.changes[index].inputs["integration"] = integration }
        }
        return (plan, remote)
    }

    /// Every template of every integration with a client, keyed by name and language.
    public func observeRemote() async throws -> [ResourceID: RemoteTemplate] {
        var result: [ResourceID: RemoteTemplate] = [:]
        for (name, client) in meta.clients.sorted(by: { $0.key < $1.key }) {
            let listed = try await client.allTemplates()
            logger.debug("observed templates", metadata: ["integration": "\(name)", "count": "\(listed.count)"])
            for template in listed {
                guard let remote = TemplateFingerprint.remote(template) else { continue }
                result[remote.id] = remote
            }
        }
        return result
    }

    func integrationName(of resource: Resource) -> String? {
        if case .template(let spec) = resource.spec, let name = spec.integration { return name }
        return meta.integration(named: nil)
    }
}
