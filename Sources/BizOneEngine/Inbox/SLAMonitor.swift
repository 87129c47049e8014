import BizOneModel
import BizOneStore
import Foundation
import Logging

/// Runs the SLA clock in `serve`: every `interval` it judges the unresolved conversations
/// against the applied SLAs (`SLAEvaluator`), records each breach once and escalates it once
/// (reassign to a team or user, add a label), as the SLA says.
///
/// The clock is injected (`now`): tests move it instead of waiting. Breaches are found by
/// level, from message times, so a server that was down finds on its next round what happened
/// meanwhile (a target met late, while it was down, is not seen as breached).
public final class SLAMonitor: Sendable {
    let store: StateStore
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let onBreach: (@Sendable (SLABreach) -> Void)?

    public init(store: StateStore, interval: Duration = .seconds(15), logger: Logger = Logger(label: "bizone.sla"),
                now: @escaping @Sendable () -> Date = Date.init,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                onBreach: (@Sendable (SLABreach) -> Void)? = nil) {
        self.store = store
        self.interval = interval
        self.logger = logger
        self.now = now
        self.sleep = sleep
        self.onBreach = onBreach
    }

    public func run() async throws {
        await PollingLoop.run(every: interval, sleep: sleep, onError: { error in
            logger.error("SLA round failed; will retry", metadata: ["error": "\(error)"])
        }) {
            _ = try evaluate()
        }
    }

    /// One round; the breaches found new.
    @discardableResult
    public func evaluate() throws -> [SLABreach] {
        let slas = try store.appliedResources(of: [.sla]).compactMap { record -> (String, SLASpec)? in
            guard let spec = try? record.content["spec"]?.decode(SLASpec.self) else { return nil }
            return (record.id.name, spec)
        }
        guard !slas.isEmpty else { return [] }
        let at = now()
        let evaluator = SLAEvaluator()
        let facts = try store.slaFacts()
        var found: [SLABreach] = []
        for (name, spec) in slas {
            for conversation in facts { found += evaluator.breaches(sla: name, spec, conversation, now: at) }
        }
        let new = try store.recordSLABreaches(found, at: at)
        let specs = Dictionary(slas, uniquingKeysWith: { first, _ in first })
        for breach in new {
            logger.warning("SLA breached", metadata: ["conversation": "\(breach.conversationID)", "sla": "\(breach.sla)",
                                                      "target": "\(breach.target.rawValue)", "due": "\(Timestamps.format(breach.dueAt))"])
            onBreach?(breach)
            guard let escalation = specs[breach.sla]?.escalation else { continue }
            if escalation.assignTeam != nil || escalation.assignUser != nil {
                let current = try store.conversation(id: breach.conversationID)
                try store.assignConversation(id: breach.conversationID, user: escalation.assignUser ?? (escalation.assignTeam == nil ? current?.assignedUser : nil),
                                             team: escalation.assignTeam ?? current?.assignedTeam)
            }
            if let label = escalation.addLabel {
                _ = try store.updateLabels(conversationID: breach.conversationID, add: [label], remove: [])
            }
            if let route = escalation.forwardRoute { try forward(breach, through: route, at: at) }
            try store.markSLAEscalated(breach)
        }
        return new
    }

    /// The conversation's newest customer event to each forward action of `route`, keyed
    /// `route#sla:name:target` so it is queued once per breach even if the route forwarded it.
    func forward(_ breach: SLABreach, through route: String, at: Date) throws {
        guard let spec = try store.appliedResource(ResourceID(kind: .webhookRoute, name: route))?.content["spec"]
            .flatMap({ try? $0.decode(WebhookRouteSpec.self) }),
              let eventID = try store.inboundMessages(conversationID: breach.conversationID).last?.eventID else {
            logger.warning("SLA escalation could not forward: no applied route or no customer event", metadata: ["route": "\(route)"])
            return
        }
        for action in spec.actions where action.type == .forward {
            let key = "\(route)#sla:\(breach.sla):\(breach.target.rawValue)"
            if case .unusable(let why) = try ForwardQueueing.enqueue(action, routeKey: key, eventID: eventID, store: store, at: at) {
                logger.warning("SLA escalation forward skipped: \(why)", metadata: ["route": "\(route)"])
            }
        }
    }
}
