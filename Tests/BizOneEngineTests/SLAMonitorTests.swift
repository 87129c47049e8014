import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import Synchronization
import Testing
import TestSupport

/// The SLA clock over a real state, on an injected clock (issue 12 §5).
@Suite struct SLAMonitorTests {
    static let sla: (ResourceID, String) = (ResourceID(kind: .sla, name: "support-first"), """
        {"spec": {"targets": {"firstResponse": "5m"}, "appliesTo": {"teams": ["support"], "labels": [], "routes": []},
                  "escalation": {"assignTeam": "support-leads", "addLabel": "sla-breached"}}}
        """)

    @Test func anUnansweredConversationBreachesAtFiveMinutesAndIsEscalatedOnce() async throws {
        try await TemporaryState.with { store in
            try Seed.apply([Self.sla], to: store)
            let inbound = try store.recordInbound(InboundMessageEvent(
                wamid: "wamid.sla-1", waID: "6281100000001", userID: nil, profileName: "Ana", phoneNumberID: Seed.phoneNumberID,
                at: Seed.t0, type: "text", text: "halo", raw: .object([:])), eventID: 1)
            try store.assignConversation(id: inbound.conversationID, user: "eka", team: "support")
            let clock = Mutex(Seed.t0 + 240)
            let counted = Mutex(0)
            let monitor = SLAMonitor(store: store, now: { clock.withLock { $0 } }, onBreach: { _ in counted.withLock { $0 += 1 } })

            #expect(try monitor.evaluate().isEmpty)
            clock.withLock { $0 = Seed.t0 + 301 }
            let breaches = try monitor.evaluate()
            #expect(breaches == [SLABreach(conversationID: inbound.conversationID, sla: "support-first", target: .firstResponse, dueAt: Seed.t0 + 300)])
            let escalated = try #require(try store.conversation(id: inbound.conversationID))
            #expect(escalated.assignedTeam == "support-leads" && escalated.assignedUser == nil)
            let summary = try #require(try store.conversationPage(ConversationQuery(viewer: "eka"), at: Seed.t0 + 301).items.first)
            #expect(summary.labels == ["sla-breached"] && summary.slaBreaches == ["support-first:firstResponse"])
            // Found again next round, recorded and escalated once; the new team is not covered anyway.
            clock.withLock { $0 = Seed.t0 + 900 }
            #expect(try monitor.evaluate().isEmpty)
            #expect(counted.withLock { $0 } == 1)
            #expect(try store.slaBreachCounts() == ["support-first firstResponse": 1])
        }
    }

    @Test func aReplyInTimeMeetsTheTarget() async throws {
        try await TemporaryState.with { store in
            try Seed.apply([Self.sla], to: store)
            let inbound = try store.recordInbound(InboundMessageEvent(
                wamid: "wamid.sla-2", waID: "6281100000002", userID: nil, profileName: "Budi", phoneNumberID: Seed.phoneNumberID,
                at: Seed.t0, type: "text", text: "halo", raw: .object([:])), eventID: 1)
            try store.assignConversation(id: inbound.conversationID, user: "eka", team: "support")
            let reply = try store.queueReply(conversationID: inbound.conversationID, author: "eka", content: .text("ya"), at: Seed.t0 + 120)
            _ = try store.claimReplies(limit: 1, at: Seed.t0 + 120)
            try store.recordReplyAccepted(id: reply.id, wamid: "wamid.out-2", recipientID: nil, at: Seed.t0 + 121)
            let monitor = SLAMonitor(store: store, now: { Seed.t0 + 3600 })
            #expect(try monitor.evaluate().isEmpty)
        }
    }

    @Test func anEscalationForwardsTheNewestCustomerEventThroughTheNamedRoute() async throws {
        try await TemporaryState.with { store in
            let sla: (ResourceID, String) = (ResourceID(kind: .sla, name: "pager-sla"), """
                {"spec": {"targets": {"firstResponse": "1m"}, "appliesTo": {"teams": [], "labels": [], "routes": []},
                          "escalation": {"forwardRoute": "pager"}}}
                """)
            try Seed.apply([sla, Seed.route("pager", """
                {"priority": 1, "match": {}, "actions": [{"type": "forward", "url": "https://pager.example.com/hook",
                 "secret": {"env": "PAGER_SECRET"}}]}
                """)], to: store)
            let inbound = try store.recordInbound(InboundMessageEvent(
                wamid: "wamid.sla-3", waID: "6281100000003", userID: nil, profileName: "Citra", phoneNumberID: Seed.phoneNumberID,
                at: Seed.t0, type: "text", text: "halo", raw: .object([:])), eventID: 77)
            let monitor = SLAMonitor(store: store, now: { Seed.t0 + 61 })
            #expect(try monitor.evaluate().count == 1)
            let forwards = try store.forwardDeliveries(status: nil)
            #expect(forwards.map(\.route) == ["pager#sla:pager-sla:firstResponse"])
            #expect(forwards.first?.eventID == 77 && forwards.first?.url == "https://pager.example.com/hook")
            _ = inbound
        }
    }
}
