import BizOneModel
import Foundation
import MetaEmulator
import MetaGraph
import Testing
import TestSupport

@Suite("Webhooks")
struct WebhookTests {
    @Test func statusesArriveSignedInOrderWithCallbackData() async throws {
        try await Harness.run { h in
            _ = try await h.approvedTemplate(name: "tracked")
            let reply = try await h.sendTemplate(to: "+6281234567890", name: "tracked", callback: "campaign-42")
            let wamid = try #require(reply.json["messages"]?[0]?["id"]?.stringValue)
            let done = await eventually { await h.statuses().count == 3 }
            #expect(done)
            let statuses = await h.statuses()
            #expect(statuses.map { $0["status"]?.stringValue } == ["sent", "delivered", "read"])
            for status in statuses {
                #expect(status["id"]?.stringValue == wamid)
                #expect(status["recipient_id"]?.stringValue == "6281234567890")
                #expect(status["biz_opaque_callback_data"]?.stringValue == "campaign-42")
                #expect(status["timestamp"]?.stringValue?.allSatisfy(\.isNumber) == true)
            }
            #expect(statuses[0]["conversation"]?["expiration_timestamp"] != nil)
            #expect(statuses[0]["pricing"]?["category"]?.stringValue == "utility")
            #expect(statuses[0]["pricing"]?["pricing_model"]?.stringValue == "PMP")
            #expect(statuses[2]["pricing"] == nil)

            for post in await h.receiver.posts {
                #expect(post.contentType == "application/json")
                #expect(WebhookSignature.verify(post.body, header: post.signature, secret: h.secret))
                #expect(!WebhookSignature.verify(post.body, header: post.signature, secret: "some-other-secret"))
                _ = try MetaJSON.decode(WebhookEnvelope.self, from: post.body)
            }
            let message = try #require(await h.control.messages().first)
            #expect(message.status == "read")
            #expect(message.statuses.map(\.status) == ["sent", "delivered", "read"])
        }
    }

    @Test func v24StatusesHaveNoConversation() async throws {
        try await Harness.run { h in
            _ = try await h.approvedTemplate(name: "modern")
            var message: [String: JSONValue] = ["messaging_product": "whatsapp", "to": "+6281234567890", "type": "template"]
            message["template"] = ["name": "modern", "language": ["code": "en_US"], "components": [[
                "type": "body", "parameters": [["type": "text", "text": "a"], ["type": "text", "text": "b"]],
            ]]]
            #expect(try await h.call("POST", "\(h.phone)/messages", json: .object(message), version: "v24.0").status == 200)
            #expect(await eventually { await h.statuses().count == 3 })
            #expect(await h.statuses().allSatisfy { $0["conversation"] == nil })
        }
    }

    @Test func failureRuleProducesFailedStatus() async throws {
        let rules = try EmulatorRules.parse("""
        recipients:
          - match: "^\\\\+?6280000000001$"
            fail: 131026
          - match: "6280000000002"
            skipDelivered: true
          - match: "6280000000003"
            fail: 131050
            synchronous: true
        """)
        try await Harness.run(rules: rules) { h in
            _ = try await h.approvedTemplate(name: "doomed")
            #expect(try await h.sendTemplate(to: "+6280000000001", name: "doomed").status == 200)
            #expect(try await h.sendTemplate(to: "+6280000000002", name: "doomed").status == 200)
            let refused = try await h.sendTemplate(to: "+6280000000003", name: "doomed")
            #expect(refused.errorCode == 131_050)
            #expect(await eventually { await h.statuses().count == 3 })
            let statuses = await h.statuses()
            let failed = try #require(statuses.first { $0["recipient_id"]?.stringValue == "6280000000001" })
            #expect(failed["status"]?.stringValue == "failed")
            #expect(failed["errors"]?[0]?["code"]?.int == 131_026)
            #expect(failed["errors"]?[0]?["title"]?.stringValue == "Message undeliverable")
            #expect(failed["errors"]?[0]?["error_data"]?["details"] != nil)
            let skipped = statuses.filter { $0["recipient_id"]?.stringValue == "6280000000002" }.map { $0["status"]?.stringValue }
            #expect(skipped == ["sent", "read"])
            #expect(statuses.filter { $0["recipient_id"]?.stringValue == "6280000000001" }.count == 1)
        }
    }

    /// On manual time: each retry waits exactly its backoff (1 s, then 2 s), and nothing is
    /// retried before the clock gets there.
    @Test func retriesAfterTheReceiverFailsTwice() async throws {
        let clock = ManualClock()
        let start = clock.seconds
        try await Harness.run(clock: clock) { h in
            await h.receiver.log.failNext(2)
            try await h.control.inbound(InboundRequest(from: "+6281234567890", name: "Siti", text: "hello"))
            for (attempt, retryAt) in [(1, 1.0), (2, 3.0)] {
                await eventually("attempt \(attempt)") { await h.control.webhookAttempts().count == attempt }
                await eventually("the retry timer after attempt \(attempt)") { clock.sleeperCount == 1 }
                #expect(clock.nextDeadline?.timeIntervalSince1970 == start + retryAt)
                #expect(await h.receiver.posts.isEmpty)
                clock.advanceToNextDeadline()
            }
            #expect(await h.control.waitForWebhooks())
            let attempts = await h.control.webhookAttempts()
            #expect(attempts.map { $0.time - start } == [0, 1, 3])
            #expect(attempts.map(\.ok) == [false, false, true])
            let stats = await h.control.stats().webhooks
            #expect(stats.failed == 2)
            #expect(stats.retried == 2)
            #expect(stats.delivered == 1)
            #expect(stats.dropped == 0)
            #expect(await h.receiver.posts.count == 1)
            #expect(await h.receiver.log.sequence == ["GET", "POST", "POST", "POST"])
        }
    }

    /// On manual time: four attempts 1, 2 and 4 s apart, then the event is dropped and nothing
    /// more is scheduled.
    @Test func dropsAfterMaxAttempts() async throws {
        let clock = ManualClock()
        let start = clock.seconds
        try await Harness.run(clock: clock) { h in
            await h.receiver.log.failNext(100)
            try await h.control.inbound(InboundRequest(from: "+6281234567890", text: "hello"))
            for (attempt, retryAt) in [(1, 1.0), (2, 3.0), (3, 7.0)] {
                await eventually("attempt \(attempt)") { await h.control.webhookAttempts().count == attempt }
                await eventually("the retry timer after attempt \(attempt)") { clock.sleeperCount == 1 }
                #expect(clock.nextDeadline?.timeIntervalSince1970 == start + retryAt)
                clock.advanceToNextDeadline()
            }
            #expect(await h.control.waitForWebhooks())
            let attempts = await h.control.webhookAttempts()
            #expect(attempts.map { $0.time - start } == [0, 1, 3, 7])
            #expect(clock.sleeperCount == 0, "no fifth attempt is scheduled")
            let stats = await h.control.stats().webhooks
            #expect(stats.dropped == 1)
            #expect(stats.failed == 4)
            #expect(stats.retried == 3)
            #expect(await h.receiver.posts.isEmpty)
        }
    }

    @Test func handshakeComesFirstWithTheVerifyToken() async throws {
        try await Harness.run { h in
            try await h.control.inbound(InboundRequest(from: "+6281234567890", text: "one"))
            try await h.control.inbound(InboundRequest(from: "+6281234567890", text: "two"))
            #expect(await eventually { await h.receiver.posts.count == 2 })
            let handshakes = await h.receiver.log.handshakes
            #expect(handshakes.count == 1)
            #expect(handshakes.first?["hub.mode"] == "subscribe")
            #expect(handshakes.first?["hub.verify_token"] == "emulator-verify-token")
            #expect(handshakes.first?["hub.challenge"]?.isEmpty == false)
            #expect(await h.receiver.log.sequence.first == "GET")
        }
    }

    @Test func duplicateModeDeliversTwice() async throws {
        try await Harness.run { h in
            let behaviour = try await h.control("POST", "webhooks", json: ["duplicate": true])
            #expect(behaviour.json["duplicate"]?.bool == true)
            try await h.control.inbound(InboundRequest(from: "+6281234567890", text: "twice"))
            #expect(await eventually { await h.receiver.posts.count == 2 })
            #expect(await h.control.waitForWebhooks())
            let posts = await h.receiver.posts
            #expect(posts.count == 2)
            #expect(posts[0].body == posts[1].body)
            #expect(posts[0].signature == posts[1].signature)
            #expect(await h.control.stats().webhooks.duplicates == 1)
        }
    }

    /// On manual time, so the flush timer cannot fire while the three events are produced.
    @Test func reorderModeReversesHeldEvents() async throws {
        try await Harness.run(clock: ManualClock()) { h in
            await h.control.setWebhookBehaviour(WebhookBehaviour(reorder: 3))
            for text in ["first", "second", "third"] {
                try await h.control.inbound(InboundRequest(from: "+6281234567890", text: text))
            }
            await eventually("three posts") { await h.receiver.posts.count == 3 }
            let texts = await h.webhookValues(field: "messages").compactMap { $0["messages"]?[0]?["text"]?["body"]?.stringValue }
            #expect(texts == ["third", "second", "first"])
        }
    }

    /// Fewer events than `reorder` are held until `reorderFlushDelay` passes, then go out reversed.
    @Test func reorderModeFlushesHeldEventsAfterTheDelay() async throws {
        let clock = ManualClock()
        try await Harness.run(clock: clock) { h in
            await h.control.setWebhookBehaviour(WebhookBehaviour(reorder: 3))
            for text in ["first", "second"] {
                try await h.control.inbound(InboundRequest(from: "+6281234567890", text: text))
            }
            // Each held event arms a flush timer; both are held until the clock moves.
            await eventually("two flush timers") { clock.sleeperCount == 2 }
            #expect(await h.receiver.posts.isEmpty)
            #expect(h.control.pendingWebhooks == 2)
            clock.advance(by: manualTiming.reorderFlushDelay)
            #expect(await h.control.waitForWebhooks())
            let texts = await h.webhookValues(field: "messages").compactMap { $0["messages"]?[0]?["text"]?["body"]?.stringValue }
            #expect(texts == ["second", "first"])
        }
    }

    @Test func templateLifecycleWebhooksDecode() async throws {
        try await Harness.run { h in
            let id = try await h.approvedTemplate(name: "lifecycle")
            try await h.control.setQuality(templateID: id, score: "RED")
            try await h.control.pause(templateID: id)
            try await h.control.unpause(templateID: id)
            try await h.control.pause(templateID: id)
            try await h.control.unpause(templateID: id)
            try await h.control.pause(templateID: id)
            try await h.control.recategorize(templateID: id, category: "MARKETING")
            #expect(await h.control.waitForWebhooks())
            for post in await h.receiver.posts { _ = try MetaJSON.decode(WebhookEnvelope.self, from: post.body) }
            let quality = try #require(await h.webhookValues(field: "message_template_quality_update").first)
            #expect(quality["previous_quality_score"]?.stringValue == "UNKNOWN")
            #expect(quality["new_quality_score"]?.stringValue == "RED")
            let events = await h.webhookValues(field: "message_template_status_update")
            #expect(events.map { $0["event"]?.stringValue } == ["APPROVED", "PAUSED", "APPROVED", "PAUSED", "APPROVED", "DISABLED"])
            #expect(events[1]["other_info"]?["title"]?.stringValue == "FIRST_PAUSE")
            #expect(events[3]["other_info"]?["title"]?.stringValue == "SECOND_PAUSE")
            #expect(events[5]["disable_info"]?["disable_date"]?.int != nil)
            let category = try #require(await h.webhookValues(field: "template_category_update").first)
            #expect(category["new_category"]?.stringValue == "MARKETING")
            #expect(try await h.call("GET", "\(id)?fields=status,quality_score").json["status"]?.stringValue == "DISABLED")
        }
    }
}
