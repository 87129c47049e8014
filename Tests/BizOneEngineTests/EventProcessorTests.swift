import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import MetaGraph
import Testing
import TestSupport

@Suite struct EventProcessorTests {
    func processor(_ store: StateStore, meta: MetaClients = MetaClients(), now: @escaping @Sendable () -> Date = Date.init,
                   batchSize: Int = 500, observer: (any EventProcessingObserver)? = nil) -> EventProcessor {
        EventProcessor(store: store, meta: meta, configuration: .init(batchSize: batchSize), observer: observer,
                       logger: .quiet, now: now)
    }

    // MARK: statuses

    @Test func statusesAdvanceAndReplayChangesNothing() async throws {
        try await TemporaryState.with { store in
            try Seed.append([
                Data(Seed.statuses([("wamid.1", "sent", 1_750_000_000)]).utf8),
                Data(Seed.statuses([("wamid.1", "read", 1_750_000_020)]).utf8),
                Data(Seed.statuses([("wamid.1", "delivered", 1_750_000_010)]).utf8),
                Data(MetaFixtures.data("webhook-status-failed")),
            ], to: store)
            let events = processor(store)
            let first = try await events.processAll()
            #expect(first.events == 4)
            #expect(first.failedEvents == 0)
            #expect(try store.message(wamid: "wamid.1")?.status == "read")
            #expect(try store.messageTransitions(wamid: "wamid.1").map(\.status).sorted() == ["delivered", "read", "sent"])
            let failed = try #require(try store.message(wamid: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA"))
            #expect(failed.status == "failed")
            #expect(failed.errorCode == 131_049)
            #expect(try store.eventBacklog() == 0)

            let again = try await events.processAll()
            #expect(again.events == 0, "the cursor moved past everything")

            let replay = try await events.process(events: try store.webhookEvents(since: nil, ids: nil, limit: nil))
            #expect(replay.events == 4)
            #expect(replay.statusesAdvanced == 0)
            #expect(replay.statusesDuplicate == 4)
            #expect(!replay.changedAnything)
            #expect(try store.message(wamid: "wamid.1")?.status == "read")
            #expect(try store.messageTransitions(wamid: "wamid.1").count == 3)
        }
    }

    // MARK: items handed over in memory

    /// What the server decoded before its 200 is used as it is; events it did not hand over
    /// (a restart, another process, a full cache) are decoded from the stored body. Both give
    /// the same result here, and the held items are proven used: the cache is told a different
    /// status than the body (which the server never does) and that one lands.
    @Test func heldItemsAreUsedAndTheRestIsReadFromTheLog() async throws {
        try await TemporaryState.with { store in
            let ids = try Seed.append([
                Data(Seed.statuses([("wamid.H1", "sent", 1_750_000_000)]).utf8),
                Data(Seed.statuses([("wamid.H2", "sent", 1_750_000_000)]).utf8),
            ], to: store)
            let cache = DecodedEventCache()
            let told = try EventDecoder.decodeItems(Data(Seed.statuses([("wamid.H1", "delivered", 1_750_000_010)]).utf8))
            cache.put([(ids[0], told)])
            #expect(cache.count == 1)
            let events = EventProcessor(store: store, decoded: cache, logger: .quiet)
            let report = try await events.processAll()
            #expect(report.events == 2)
            #expect(report.statusesAdvanced == 2)
            #expect(try store.message(wamid: "wamid.H1")?.status == "delivered", "the held items were used")
            #expect(try store.message(wamid: "wamid.H2")?.status == "sent", "the other event was decoded from its body")
            #expect(cache.count == 0, "taken when processed")

            // Ids at or below the cursor are processed: a late hand-over of one is not kept.
            cache.put([(ids[1], told)])
            #expect(cache.count == 0)
        }
    }

    @Test func theCacheKeepsAtMostItsCapacity() {
        let cache = DecodedEventCache(capacity: 2)
        cache.put([(1, []), (2, []), (3, [])])
        #expect(cache.count == 2)
        cache.discard(upTo: 1)
        #expect(cache.count == 1)
    }

    /// Acceptance: 10,000 status events for 2,500 messages, 10% of them duplicates, shuffled.
    @Test func tenThousandShuffledStatusesWithDuplicates() async throws {
        try await TemporaryState.with { store in
            var random = SeededRandom(seed: 42)
            let ladder = ["sent", "delivered", "read", "played"]
            var unique: [(String, String, Int)] = []
            var highest: [String: String] = [:]
            var expectedTransitions: [String: Int] = [:]
            for index in 0..<2_500 {
                let wamid = "wamid.load.\(index)"
                let count = index < 1_500 ? 4 : 3
                for step in 0..<count {
                    unique.append((wamid, ladder[step], 1_750_000_000 + index * 10 + step))
                }
                highest[wamid] = ladder[count - 1]
                expectedTransitions[wamid] = count
            }
            #expect(unique.count == 9_000)
            var bodies = unique.map { Data(Seed.statuses([$0]).utf8) }
            // Meta redelivers: the same status again, in a POST whose bytes differ.
            for index in Array(unique.indices).shuffled(using: &random).prefix(1_000) {
                bodies.append(Data(Seed.statuses([unique[index]], spaced: true).utf8))
            }
            bodies.shuffle(using: &random)
            #expect(bodies.count == 10_000)
            let ids = try Seed.append(bodies, to: store)
            #expect(Set(ids).count == 10_000, "every POST is its own event")

            let report = try await processor(store).processAll()
            #expect(report.events == 10_000)
            #expect(report.failedEvents == 0)
            #expect(report.statusesDuplicate == 1_000)
            #expect(report.statusesAdvanced + report.statusesStale + report.statusesDuplicate == 10_000)
            #expect(report.statusesAdvanced + report.statusesStale == 9_000)

            var wrongStatus: [String] = []
            var wrongTransitions: [String] = []
            for (wamid, status) in highest {
                if try store.message(wamid: wamid)?.status != status { wrongStatus.append(wamid) }
                let transitions = try store.messageTransitions(wamid: wamid).map(\.status)
                if transitions.count != expectedTransitions[wamid] || Set(transitions).count != transitions.count {
                    wrongTransitions.append(wamid)
                }
            }
            #expect(wrongStatus.isEmpty, "messages not at their highest status: \(wrongStatus.prefix(5))")
            #expect(wrongTransitions.isEmpty, "messages with missing or duplicate transitions: \(wrongTransitions.prefix(5))")
            #expect(try store.messageStatusCounts() == ["played": 1_500, "read": 1_000])
            #expect(try store.eventBacklog() == 0)
        }
    }

    @Test func failingEventIsMarkedAndSkipped() async throws {
        try await TemporaryState.with { store in
            let ids = try Seed.append([
                Data(Seed.statuses([("wamid.a", "sent", 1_750_000_000)]).utf8),
                Data(#"{"object":"whatsapp_business_account"}"#.utf8),
                Data(Seed.statuses([("wamid.b", "sent", 1_750_000_000)]).utf8),
            ], to: store)
            let report = try await processor(store).processAll()
            #expect(report.failedEvents == 1)
            #expect(try store.message(wamid: "wamid.a") != nil)
            #expect(try store.message(wamid: "wamid.b") != nil, "the failure did not block the queue")
            #expect(try store.processingCursor() == ids[2])
            let failed = try #require(try store.webhookEvent(id: ids[1]))
            #expect(failed.processedAt != nil)
            #expect(failed.processingError?.contains("entry") == true)
            #expect(try store.webhookEvent(id: ids[0])?.processingError == nil)
        }
    }

    @Test func observerHearsEveryBatch() async throws {
        try await TemporaryState.with { store in
            let received = Date(timeIntervalSince1970: 1_750_000_000)
            try Seed.append((0..<5).map { Data(Seed.statuses([("wamid.o\($0)", "sent", 1_750_000_000)]).utf8) }, to: store, at: received)
            try Seed.append([Data("[]".utf8)], to: store, at: received)
            let batches = Recorder<ProcessedBatch>()
            let events = processor(store, now: { received.addingTimeInterval(7) }, batchSize: 2,
                                   observer: ClosureProcessingObserver(batch: { batches.append($0) }))
            try await events.processAll()
            #expect(batches.all.count == 3)
            #expect(batches.all.map(\.report.events).reduce(0, +) == 6)
            #expect(batches.all.map(\.report.failedEvents).reduce(0, +) == 1)
            #expect(batches.all.allSatisfy { $0.lagSeconds == 7 })
        }
    }

    // MARK: templates

    @Test func rejectedTemplateWebhookStoresStatusAndReason() async throws {
        try await TemporaryState.with { store in
            let id = ResourceID(kind: .template, name: "abandoned_cart", language: "en")
            try store.recordTemplateStatus(TemplateStatusUpdate(id: id, templateID: "1689556908129835", status: "PENDING",
                                                                source: "apply", at: Seed.t0))
            try Seed.append([MetaFixtures.data("webhook-template-status-rejected")], to: store)
            let events = processor(store)
            let report = try await events.processAll()
            #expect(report.templateUpdates == 1)
            let record = try #require(try store.templateRecord(id))
            #expect(record.status == "REJECTED")
            #expect(record.reason == "INVALID_FORMAT")
            #expect(record.reasonDetail?.contains("placed next to each other") == true)
            #expect(record.reasonDetail?.contains("Recommendation:") == true)
            #expect(record.statusChangedAt == Date(timeIntervalSince1970: 1_751_247_548))
            #expect(try store.templateHistory(id).last?.source == "webhook")

            let replay = try await events.process(events: try store.webhookEvents(since: nil, ids: nil, limit: nil))
            #expect(replay.templateUpdates == 0)
            #expect(try store.templateHistory(id).count == 2, "replay adds no history")
        }
    }

    @Test func templateFoundByNameAndNormalisedLanguage() async throws {
        try await TemporaryState.with { store in
            let id = ResourceID(kind: .template, name: "order_confirmation", language: "en_US")
            try store.recordTemplateStatus(TemplateStatusUpdate(id: id, status: "PENDING", source: "apply", at: Seed.t0))
            try Seed.append([MetaFixtures.data("webhook-template-status-approved")], to: store)
            try await processor(store).processAll()
            let record = try #require(try store.templateRecord(id))
            #expect(record.status == "APPROVED")
            #expect(record.templateID == "1689556908129832", "Meta's id is learnt")
            #expect(record.category == "UTILITY")
            #expect(record.reason == nil)
        }
    }

    @Test func olderTemplateEventDoesNotOverwrite() async throws {
        try await TemporaryState.with { store in
            let id = ResourceID(kind: .template, name: "welcome", language: "en_US")
            try store.recordTemplateStatus(TemplateStatusUpdate(id: id, templateID: "77", status: "PENDING", source: "apply", at: Seed.t0))
            let newer = Seed.templateStatus(id: 77, name: "welcome", language: "en_US", event: "APPROVED", time: 1_750_000_200)
            let older = Seed.templateStatus(id: 77, name: "welcome", language: "en_US", event: "REJECTED", time: 1_750_000_100,
                                            reason: "PROMOTIONAL")
            try Seed.append(newer, to: store)
            try Seed.append(older, to: store)
            let report = try await processor(store).processAll()
            #expect(report.templateUpdates == 1)
            #expect(report.templateIgnored == 1)
            let record = try #require(try store.templateRecord(id))
            #expect(record.status == "APPROVED")
            #expect(record.reason == nil)
            #expect(record.statusChangedAt == Date(timeIntervalSince1970: 1_750_000_200))
        }
    }

    @Test func qualityAndCategoryWebhooks() async throws {
        try await TemporaryState.with { store in
            let id = ResourceID(kind: .template, name: "welcome_template", language: "en_US")
            try store.recordTemplateStatus(TemplateStatusUpdate(id: id, templateID: "806312974732579", status: "APPROVED",
                                                                category: "UTILITY", source: "apply", at: Seed.t0))
            try Seed.append([MetaFixtures.data("webhook-template-quality-yellow"),
                             MetaFixtures.data("webhook-template-category-impending")], to: store)
            let report = try await processor(store).processAll()
            var record = try #require(try store.templateRecord(id))
            #expect(record.quality == "YELLOW")
            #expect(record.category == "UTILITY", "an impending change is not applied")
            #expect(report.templateUpdates == 1)
            #expect(report.templateIgnored == 1)

            try Seed.append([MetaFixtures.data("webhook-template-category-completed")], to: store)
            try await processor(store).processAll()
            record = try #require(try store.templateRecord(id))
            #expect(record.category == "MARKETING")
        }
    }

    @Test func unknownTemplateIsIgnored() async throws {
        try await TemporaryState.with { store in
            try Seed.append([MetaFixtures.data("webhook-template-status-approved")], to: store)
            let report = try await processor(store).processAll()
            #expect(report.failedEvents == 0)
            #expect(report.templateIgnored == 1)
            #expect(try store.templateRecords().isEmpty, "no row for a template BizOne does not know")
        }
    }

    /// Meta can review a template before the apply that created it records Meta's answer
    /// (the emulator does in 0.1 s): the webhook is kept and the apply applies it.
    @Test func templateWebhookBeforeItsApplyIsAppliedByTheApply() async throws {
        try await TemporaryState.with { store in
            let id = ResourceID(kind: .template, name: "abandoned_cart", language: "en")
            try Seed.append([MetaFixtures.data("webhook-template-status-rejected")], to: store)
            let events = processor(store)
            let report = try await events.processAll()
            #expect(report.failedEvents == 0)
            #expect(report.templateIgnored == 1)
            #expect(try store.templateRecords().isEmpty)
            #expect(try store.earlyTemplateEvents().map(\.templateID) == ["1689556908129835"])

            let content = JSONValue.object(["spec": .object(["category": .string("MARKETING")])])
            let change = PlanChange(id: id, action: .create, after: content, afterHash: ContentHash.of(content), reason: "not in state")
            try store.beginApplyRun(ApplyRunStart(id: "run-1", revision: nil, actor: "ci", startedAt: Seed.t0, planSerial: 0))
            try store.applyChange(change, runID: "run-1", sequence: 1, at: Seed.t0, revision: nil, template: TemplateWrite(
                templateID: "1689556908129835", status: "PENDING", category: "MARKETING", appliedFingerprint: "fp", event: .created,
                countsAsCreate: true))

            let record = try #require(try store.templateRecord(id))
            #expect(record.status == "REJECTED")
            #expect(record.reason == "INVALID_FORMAT")
            #expect(record.reasonDetail?.contains("placed next to each other") == true)
            #expect(try store.earlyTemplateEvents().isEmpty)

            let replay = try await events.process(events: try store.webhookEvents(since: nil, ids: nil, limit: nil))
            #expect(replay.templateUpdates == 0, "the replay finds the template and changes nothing")
            #expect(try store.earlyTemplateEvents().isEmpty, "nor keeps it again")
        }
    }

    // MARK: inbound

    @Test func inboundOpensConversationAndRedeliveryKeepsUnreadOne() async throws {
        try await TemporaryState.with { store in
            let body = Seed.textMessage(wamid: "wamid.in.1", from: "16505551234", text: "Hello")
            try Seed.append(body, to: store)
            let events = processor(store)
            let first = try await events.processAll()
            #expect(first.inboundNew == 1)
            var conversations = try store.conversations(status: nil, limit: nil)
            #expect(conversations.count == 1)
            #expect(conversations.first?.unread == 1)
            #expect(conversations.first?.phone == "+16505551234")
            #expect(conversations.first?.phoneNumberID == Seed.phoneNumberID)

            // The same message again, in a POST with other bytes (Meta batches differently on retry).
            try Seed.append(body + "\n", to: store)
            let second = try await events.processAll()
            #expect(second.events == 1)
            #expect(second.inboundDuplicate == 1)
            _ = try await events.process(events: try store.webhookEvents(since: nil, ids: nil, limit: nil))
            conversations = try store.conversations(status: nil, limit: nil)
            #expect(conversations.count == 1)
            #expect(conversations.first?.unread == 1)
            #expect(try store.inboundMessages(conversationID: conversations[0].id).count == 1)
        }
    }

    @Test func businessScopedUserGetsAConversation() async throws {
        try await TemporaryState.with { store in
            try Seed.append([MetaFixtures.data("webhook-messages-text-username-empty-wa-id")], to: store)
            try await processor(store).processAll()
            let conversation = try #require(try store.conversations(status: nil, limit: nil).first)
            #expect(conversation.contactKey == "user:user.93737...")
            #expect(conversation.phone == nil)
            #expect(conversation.unread == 1)
        }
    }

    // MARK: routes

    @Test func optOutRouteMarksTheContact() async throws {
        try await TemporaryState.with { store in
            try Seed.apply([Seed.route("stop", #"""
                {"priority": 10, "match": {"field": "messages", "messageTypes": ["text", "button"]},
                 "actions": [{"type": "optOut", "keywords": ["STOP", "unsubscribe"]}]}
                """#)], to: store)
            try Seed.append([MetaFixtures.data("webhook-messages-button-quick-reply")], to: store)
            try Seed.append(Seed.textMessage(wamid: "wamid.other", from: "15550001111", text: "please stop sending"), to: store)
            try Seed.append(Seed.textMessage(wamid: "wamid.stop", from: "15550002222", text: "  Stop "), to: store)
            let events = processor(store)
            let report = try await events.processAll()
            #expect(report.optOuts == 2)
            #expect(try store.isOptedOut(phone: "+16505551234"), "the quick-reply label is the text")
            #expect(try store.isOptedOut(phone: "+15550002222"), "trimmed, case-insensitive")
            #expect(try !store.isOptedOut(phone: "+15550001111"), "a keyword inside a sentence is not an opt-out")

            let replay = try await events.process(events: try store.webhookEvents(since: nil, ids: nil, limit: nil))
            #expect(replay.optOuts == 0)
        }
    }

    /// The processor keeps its compiled routes between batches: an apply that adds, changes or
    /// removes a route must reach the next batch of the same processor.
    @Test func routesAppliedBetweenBatchesReachTheNextBatch() async throws {
        try await TemporaryState.with { store in
            let events = processor(store)
            try Seed.append(Seed.textMessage(wamid: "wamid.r1", from: "15550005551", text: "stop"), to: store)
            #expect(try await events.processAll().optOuts == 0, "no route yet")

            try Seed.apply([Seed.route("stop", #"""
                {"priority": 10, "match": {"field": "messages"}, "actions": [{"type": "optOut", "keywords": ["stop"]}]}
                """#)], to: store)
            try Seed.append(Seed.textMessage(wamid: "wamid.r2", from: "15550005552", text: "stop"), to: store)
            #expect(try await events.processAll().optOuts == 1, "the added route runs")

            try Seed.apply([Seed.route("stop", #"""
                {"priority": 10, "match": {"field": "messages"}, "actions": [{"type": "optOut", "keywords": ["halt"]}]}
                """#)], to: store)
            try Seed.append(Seed.textMessage(wamid: "wamid.r3", from: "15550005553", text: "stop"), to: store)
            try Seed.append(Seed.textMessage(wamid: "wamid.r4", from: "15550005554", text: "halt"), to: store)
            #expect(try await events.processAll().optOuts == 1)
            #expect(try !store.isOptedOut(phone: "+15550005553"), "the old keyword is gone with the changed spec")
            #expect(try store.isOptedOut(phone: "+15550005554"), "the changed spec's keyword works")
        }
    }

    @Test func inboxRoundRobinAcrossTwoAgents() async throws {
        try await TemporaryState.with { store in
            try Seed.apply([
                Seed.role("agent"),
                Seed.user("alice", teams: ["support"]),
                Seed.user("bob", teams: ["support", "sales"]),
                Seed.user("carol", teams: ["support"], disabled: true),
                Seed.user("dave", teams: ["sales"]),
                Seed.route("support-inbox", #"""
                    {"priority": 100, "match": {"field": "messages"},
                     "actions": [{"type": "inbox", "team": "support", "strategy": "roundRobin"}]}
                    """#),
            ], to: store)
            let senders = ["15550000001", "15550000002", "15550000003", "15550000004"]
            for (index, sender) in senders.enumerated() {
                try Seed.append(Seed.textMessage(wamid: "wamid.rr.\(index)", from: sender, text: "hi"), to: store)
            }
            // A second message from the first contact: the conversation keeps its agent.
            try Seed.append(Seed.textMessage(wamid: "wamid.rr.again", from: senders[0], text: "anyone?"), to: store)
            let events = processor(store)
            let report = try await events.processAll()
            #expect(report.assignments == 4)

            func agent(_ phone: String) throws -> String? {
                try store.conversations(status: nil, limit: nil).first { $0.phone == "+" + phone }?.assignedUser
            }
            #expect(try senders.map(agent) == ["alice", "bob", "alice", "bob"])
            #expect(try store.conversations(status: nil, limit: nil).allSatisfy { $0.assignedTeam == "support" })

            let replay = try await events.process(events: try store.webhookEvents(since: nil, ids: nil, limit: nil))
            #expect(replay.assignments == 0)
            #expect(try senders.map(agent) == ["alice", "bob", "alice", "bob"], "replay does not rotate assignments")
        }
    }

    @Test func forwardIsEnqueuedOnceEvenWhenProcessedTwice() async throws {
        try await TemporaryState.with { store in
            try Seed.apply([Seed.route("crm", #"""
                {"priority": 100, "match": {"field": "messages", "statuses": ["delivered", "read"]},
                 "actions": [{"type": "store"},
                             {"type": "forward", "url": "https://crm.example.com/hook", "secret": {"env": "CRM_SECRET"},
                              "maxAttempts": 5, "backoff": "30s"}]}
                """#)], to: store)
            // One event with two matching statuses and one that does not match.
            let matching = try Seed.append(Seed.statuses([("wamid.f", "delivered", 1_750_000_000), ("wamid.g", "read", 1_750_000_001)]),
                                           to: store)
            try Seed.append(Seed.statuses([("wamid.h", "sent", 1_750_000_000)]), to: store)
            let events = processor(store)
            let first = try await events.processAll()
            #expect(first.forwardsEnqueued == 1)
            let replay = try await events.process(events: try store.webhookEvents(since: nil, ids: nil, limit: nil))
            #expect(replay.forwardsEnqueued == 0)

            let queued = try store.forwardDeliveries(status: nil)
            #expect(queued.count == 1)
            let delivery = try #require(queued.first)
            #expect(delivery.eventID == matching)
            #expect(delivery.route == "crm")
            #expect(delivery.url == "https://crm.example.com/hook")
            #expect(delivery.secretRef == "env:CRM_SECRET", "the reference, never a value")
            #expect(delivery.maxAttempts == 5)
            #expect(delivery.backoffMilliseconds == 30_000)
        }
    }

    @Test func textConditionsAndPriorityOrder() async throws {
        try await TemporaryState.with { store in
            try Seed.apply([
                Seed.role("agent"),
                Seed.user("alice", teams: ["sales"]),
                Seed.user("bob", teams: ["support"]),
                Seed.route("sales", #"""
                    {"priority": 10, "match": {"text": {"regex": "\\b(price|quote)\\b"}},
                     "actions": [{"type": "inbox", "agent": "alice", "team": "sales"}]}
                    """#),
                Seed.route("everyone", #"""
                    {"priority": 50, "match": {"messageTypes": ["text"]}, "actions": [{"type": "inbox", "team": "support"}]}
                    """#),
            ], to: store)
            try Seed.append(Seed.textMessage(wamid: "wamid.t1", from: "15550000011", text: "What is the PRICE?"), to: store)
            try Seed.append(Seed.textMessage(wamid: "wamid.t2", from: "15550000012", text: "My order is late"), to: store)
            try await processor(store).processAll()
            let conversations = try store.conversations(status: nil, limit: nil)
            #expect(conversations.first { $0.phone == "+15550000011" }?.assignedUser == "alice", "the earlier route wins")
            #expect(conversations.first { $0.phone == "+15550000012" }?.assignedUser == "bob")
        }
    }

    @Test func autoReplyOnlyForNewMessagesAndInsideTheWindow() async throws {
        try await TemporaryState.with { store in
            try Seed.apply([Seed.route("hello", #"""
                {"priority": 100, "match": {"messageTypes": ["text"]}, "actions": [{"type": "autoReply", "text": "Thanks, we got it."}]}
                """#)], to: store)
            let graph = FakeGraphClient()
            let meta = MetaClients(clients: ["main": graph])
            let sentAt = 1_750_000_000
            let body = Seed.textMessage(wamid: "wamid.ar", from: "16505551234", text: "hi", timestamp: sentAt)
            try Seed.append(body, to: store)
            let clock = TestClock(Date(timeIntervalSince1970: TimeInterval(sentAt + 60)))
            let events = processor(store, meta: meta, now: clock.closure)
            let report = try await events.processAll()
            #expect(report.autoReplies == 1)
            #expect(graph.sends.all.count == 1)
            #expect(graph.sends.all.first?.to == "+16505551234")
            #expect(graph.sends.all.first?.text?.body == "Thanks, we got it.")
            #expect(try store.message(wamid: "wamid.reply.1")?.status == "accepted", "the reply is in the ledger")

            try Seed.append(body + " ", to: store)
            _ = try await events.processAll()
            _ = try await events.process(events: try store.webhookEvents(since: nil, ids: nil, limit: nil))
            #expect(graph.sends.all.count == 1, "a redelivered or replayed message is not answered again")

            // A message processed after its window closed gets no free text.
            clock.advance(by: 2 * 86_400)
            try Seed.append(Seed.textMessage(wamid: "wamid.late", from: "16505559999", text: "hello?", timestamp: sentAt + 120), to: store)
            let late = try await events.processAll()
            #expect(late.autoReplies == 0)
            #expect(graph.sends.all.count == 1)
        }
    }

    @Test func autoReplyTemplateAndSendFailureIsNotFatal() async throws {
        try await TemporaryState.with { store in
            try Seed.apply([Seed.route("welcome", #"""
                {"priority": 100, "match": {"messageTypes": ["text"]},
                 "actions": [{"type": "autoReply", "template": {"name": "welcome", "language": "en_US"}}]}
                """#)], to: store)
            let graph = FakeGraphClient()
            graph.failSends = true
            try Seed.append([MetaFixtures.data("webhook-messages-text-username-empty-wa-id")], to: store)
            let report = try await processor(store, meta: MetaClients(clients: ["main": graph])).processAll()
            #expect(report.failedEvents == 0)
            #expect(report.inboundNew == 1)
            #expect(report.autoReplies == 0)
            let send = try #require(graph.sends.all.first)
            #expect(send.to == "user.93737...", "a BSUID-only user is answered by BSUID")
            #expect(send.template?.name == "welcome")
        }
    }

    @Test func routeBoundToAnotherIntegrationSeesNothing() async throws {
        try await TemporaryState.with { store in
            try Seed.apply([
                (ResourceID(kind: .integration, name: "other"), #"""
                    {"spec": {"graph": {"baseURL": "https://graph.facebook.com", "version": "v23.0"},
                              "businessAccountId": "999", "phoneNumberId": "888",
                              "accessToken": {"env": "T"}, "appSecret": {"env": "S"}, "verifyToken": {"env": "V"},
                              "webhookPath": "/api/webhooks/whatsapp", "throughput": {"messagesPerSecond": 80}}}
                    """#),
                (ResourceID(kind: .integration, name: "main"), #"""
                    {"spec": {"graph": {"baseURL": "https://graph.facebook.com", "version": "v23.0"},
                              "businessAccountId": "102290129340398", "phoneNumberId": "106540352242922",
                              "accessToken": {"env": "T"}, "appSecret": {"env": "S"}, "verifyToken": {"env": "V"},
                              "webhookPath": "/api/webhooks/whatsapp", "throughput": {"messagesPerSecond": 80}}}
                    """#),
                Seed.route("other-stop", #"""
                    {"integration": "other", "priority": 1, "match": {}, "actions": [{"type": "optOut", "keywords": ["stop"]}]}
                    """#),
                Seed.route("main-quit", #"""
                    {"integration": "main", "priority": 1, "match": {}, "actions": [{"type": "optOut", "keywords": ["quit"]}]}
                    """#),
            ], to: store)
            try Seed.append(Seed.textMessage(wamid: "wamid.s", from: "15550003333", text: "stop"), to: store)
            try Seed.append(Seed.textMessage(wamid: "wamid.q", from: "15550004444", text: "quit"), to: store)
            let report = try await processor(store).processAll()
            #expect(report.optOuts == 1)
            #expect(try !store.isOptedOut(phone: "+15550003333"), "the other integration's route did not run")
            #expect(try store.isOptedOut(phone: "+15550004444"), "this integration's route did")
        }
    }

    // MARK: run loop

    @Test func runWakesOnSignalAndStopsWhenCancelled() async throws {
        try await TemporaryState.with { store in
            // The poll's sleep never ends by itself: it counts that run() is waiting, then waits
            // for cancellation. Only the wake-up can get the event processed.
            let waits = Locked(0)
            let events = EventProcessor(store: store, configuration: .init(pollInterval: .seconds(3_600)), logger: .quiet,
                                        sleep: { _ in
                                            waits.withValue { $0 += 1 }
                                            try await Task.sleep(for: .seconds(365 * 86_400))
                                        })
            let task = Task { try await events.run() }
            await eventually("run() to wait after its first pass") { waits.current == 1 }
            try Seed.append(Seed.statuses([("wamid.run", "sent", 1_750_000_000)]), to: store)
            events.wake()
            try await eventually("the woken pass to process the event") { try store.eventBacklog() == 0 }
            #expect(try store.message(wamid: "wamid.run")?.status == "sent")
            await eventually("run() to wait again") { waits.current == 2 }
            task.cancel()
            try await task.value
        }
    }

    /// With a linger, a wake-up is followed by the linger's sleep before the pass, so what
    /// arrives meanwhile is processed in the same batch.
    @Test func lingerGathersWhatArrivesAfterTheWakeUpIntoOneBatch() async throws {
        try await TemporaryState.with { store in
            let linger = Duration.milliseconds(10)
            let waits = Locked(0)
            let batches = Locked<[Int]>([])
            let events = EventProcessor(
                store: store, configuration: .init(pollInterval: .seconds(3_600), linger: linger),
                observer: ClosureProcessingObserver(batch: { batch in batches.withValue { $0.append(batch.report.events) } }),
                logger: .quiet,
                sleep: { duration in
                    if duration == linger {
                        // The second event arrives while the processor lingers.
                        try Seed.append(Seed.statuses([("wamid.linger.2", "sent", 1_750_000_001)]), to: store)
                        return
                    }
                    waits.withValue { $0 += 1 }
                    try await Task.sleep(for: .seconds(365 * 86_400))
                })
            let task = Task { try await events.run() }
            await eventually("run() to wait after its first pass") { waits.current == 1 }
            try Seed.append(Seed.statuses([("wamid.linger.1", "sent", 1_750_000_000)]), to: store)
            events.wake()
            await eventually("a batch to be processed") { !batches.current.isEmpty }
            #expect(try store.eventBacklog() == 0)
            #expect(batches.current == [2], "one batch held the event that woke it and the one that came during the linger")
            task.cancel()
            try await task.value
        }
    }
}
