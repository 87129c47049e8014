import BizOneModel
import BizOneStore
import Foundation
import MetaGraph

/// The actions of a matching WebhookRoute. Each one is idempotent on its own: a forward is
/// queued once per (event, route), a conversation is assigned only while it has no agent, an
/// opt-out is sticky, and an auto-reply goes out only for a message seen for the first time.
extension EventProcessor {

    func runActions(of route: RouteTable.Route, item: WebhookItem, inbound: InboundOutcome?, event: WebhookEventRef,
                    forwarded: inout Set<String>, context: inout BatchContext, report: inout ProcessingReport) async throws {
        for action in route.spec.actions {
            switch action.type {
            case .store:
                continue // every accepted event is in the log already
            case .forward:
                guard forwarded.insert(route.name).inserted else { continue }
                if try enqueueForward(action, route: route.name, event: event) { report.forwardsEnqueued += 1 }
            case .inbox:
                guard case .inbound = item, let inbound else { continue }
                if try assign(inbound, action, route: route.name, context: &context) { report.assignments += 1 }
            case .optOut:
                guard case .inbound(let message) = item else { continue }
                if try optOut(message, action, route: route.name) { report.optOuts += 1 }
            case .autoReply:
                guard case .inbound(let message) = item, let inbound, inbound.isNew else { continue }
                if await autoReply(to: message, action, route: route, event: event) { report.autoReplies += 1 }
            }
        }
    }

    /// Queues the event for the route's URL; the secret goes in as its reference (`env:NAME`).
    private func enqueueForward(_ action: WebhookRouteSpec.Action, route: String, event: WebhookEventRef) throws -> Bool {
        switch try ForwardQueueing.enqueue(action, routeKey: route, eventID: event.id, store: store, at: now()) {
        case .queued: return true
        case .alreadyQueued: return false
        case .unusable(let why):
            logger.warning("forward action skipped: \(why)", metadata: ["route": "\(route)"])
            return false
        }
    }

    /// Gives an unassigned conversation to the route's agent, or to the next agent of its team
    /// (enabled users in that team, by the route's strategy). A conversation that has an agent
    /// keeps it, so a redelivered or replayed message changes nothing.
    private func assign(_ inbound: InboundOutcome, _ action: WebhookRouteSpec.Action, route: String,
                        context: inout BatchContext) throws -> Bool {
        let conversation = try store.conversation(id: inbound.conversationID)
        if conversation?.assignedUser != nil { return false }
        if let agent = action.agent {
            try store.assignConversation(id: inbound.conversationID, user: agent, team: action.team ?? conversation?.assignedTeam, route: route)
            return true
        }
        guard let team = action.team else { return false }
        if context.users == nil { context.users = try store.users() }
        let candidates = (context.users ?? []).filter { !$0.disabled && $0.teams.contains(team) }.map(\.name)
        let user = try store.nextAssignee(team: team, candidates: candidates, strategy: action.strategy ?? "roundRobin")
        if user == nil {
            logger.warning("no enabled agent in team; conversation assigned to the team only", metadata: [
                "route": "\(route)", "team": "\(team)", "conversation": "\(inbound.conversationID)",
            ])
            if conversation?.assignedTeam == team { return false }
        }
        try store.assignConversation(id: inbound.conversationID, user: user, team: team, route: route)
        return true
    }

    /// Marks the sender opted out when the whole text (trimmed) is one of the keywords.
    private func optOut(_ message: InboundMessageEvent, _ action: WebhookRouteSpec.Action, route: String) throws -> Bool {
        guard let text = message.text else { return false }
        let folded = RouteTable.fold(text)
        guard (action.keywords ?? []).contains(where: { RouteTable.fold($0) == folded }) else { return false }
        guard let waID = message.waID, !waID.isEmpty else {
            logger.warning("opt-out from a user known only by a business-scoped id; no phone number to mark", metadata: [
                "route": "\(route)", "contact": "\(message.contactKey)",
            ])
            return false
        }
        let phone = waID.hasPrefix("+") ? waID : "+" + waID
        let already = try store.isOptedOut(phone: phone)
        try store.optOut(phone: phone, at: message.at)
        if !already { logger.info("contact opted out", metadata: ["route": "\(route)", "phone": "\(phone)"]) }
        return !already
    }

    /// Sends the route's template, or its text while the service window the message opened is
    /// still open. Failures are logged, never fatal: the event stays processed.
    private func autoReply(to message: InboundMessageEvent, _ action: WebhookRouteSpec.Action, route: RouteTable.Route,
                           event: WebhookEventRef) async -> Bool {
        guard let (integration, client) = meta.client(for: route.spec.integration ?? route.integration?.name) else {
            logger.warning("auto-reply skipped: no Graph client", metadata: [
                "route": "\(route.name)", "integration": "\(route.spec.integration ?? "")",
            ])
            return false
        }
        let recipient: String
        if let waID = message.waID, !waID.isEmpty {
            recipient = "+" + waID
        } else if let userID = message.userID, !userID.isEmpty {
            recipient = userID
        } else {
            logger.warning("auto-reply skipped: the message has no sender id", metadata: ["route": "\(route.name)", "event": "\(event.id)"])
            return false
        }
        let request: SendMessageRequest
        if let template = action.template {
            request = .template(to: recipient, name: template.name, language: template.language)
        } else if let text = action.text {
            guard now().timeIntervalSince(message.at) < configuration.serviceWindow else {
                logger.info("auto-reply skipped: the 24-hour window of this message has closed", metadata: [
                    "route": "\(route.name)", "message": "\(message.wamid)",
                ])
                return false
            }
            request = .text(to: recipient, body: text)
        } else {
            return false
        }
        do {
            let response = try await client.send(request)
            logger.info("auto-reply sent", metadata: [
                "route": "\(route.name)", "integration": "\(integration)", "to": "\(message.contactKey)",
                "message": "\(response.messageID ?? "")",
            ])
            if let wamid = response.messageID {
                // Known to the ledger before its status webhooks arrive.
                _ = try? store.applyMessageStatus(
                    MessageStatusEvent(wamid: wamid, status: "accepted", at: now(),
                                       recipientID: message.waID.flatMap { $0.isEmpty ? nil : $0 }, recipientUserID: message.userID),
                    eventID: event.id)
            }
            return true
        } catch {
            logger.warning("auto-reply failed", metadata: ["route": "\(route.name)", "to": "\(message.contactKey)", "error": "\(error)"])
            return false
        }
    }
}
