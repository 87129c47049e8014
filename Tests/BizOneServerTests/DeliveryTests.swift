import AsyncHTTPClient
import BizOneModel
import Foundation
import Testing
import TestSupport

/// Signed posts become durable rows of the event log before the 200 (reference §16).
@Suite struct DeliveryTests {
    @Test func everyMetaFixtureIsAcceptedAndStoredByteForByte() async throws {
        let fixtures = try MetaFixtures.webhooks()
        #expect(fixtures.count >= 30)
        try await ServerHarness.run { (h: ServerHarness) async throws in
            var ids: [String: Int64] = [:]
            for fixture in fixtures {
                let reply = try await h.post(fixture.body)
                #expect(reply.status == 200, "\(fixture.name): \(reply.status) \(reply.text)")
                let stored = try h.events().last
                #expect(stored?.body == fixture.body, "\(fixture.name) is not stored byte for byte")
                #expect(stored?.outcome == .accepted, "\(fixture.name)")
                #expect(stored?.path == ServerHarness.path)
                ids[fixture.name] = stored?.id
            }
            let events = try h.events()
            #expect(events.count == fixtures.count)
            #expect(Set(events.map(\.body)) == Set(fixtures.map(\.body)))
            #expect(Set(ids.values).count == fixtures.count)
            #expect(h.wakeups.current >= 1)
        }
    }

    @Test func theMetaPathStoresItsOwnPath() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let reply = try await h.post(Fixtures.compactText, path: ServerHarness.path + "/meta")
            #expect(reply.status == 200)
            #expect(try h.events().map(\.path) == [ServerHarness.path + "/meta"])
        }
    }

    @Test func identicalRedeliveryIsAnsweredAndStoredOnce() async throws {
        let body = try MetaFixtures.data("webhook-status-delivered.json")
        try await ServerHarness.run { (h: ServerHarness) async throws in
            #expect(try await h.post(body).status == 200)
            #expect(try await h.post(body).status == 200)
            #expect(try await h.post(body, path: ServerHarness.path + "/meta").status == 200)
            let events = try h.events()
            #expect(events.count == 1)
            #expect(events.first?.body == body)
            #expect(events.first?.deliveries == 3)
        }
    }

    @Test(arguments: [
        ("not JSON", Data("hello, this is not json".utf8)),
        ("truncated JSON", Data(#"{"object":"whatsapp_business_account","entry":["#.utf8)),
        ("array", Data("[1,2,3]".utf8)),
        ("no entry", Data(#"{"object":"whatsapp_business_account"}"#.utf8)),
        ("entry not an array", Data(#"{"object":"whatsapp_business_account","entry":{}}"#.utf8)),
        ("no object", Data(#"{"entry":[]}"#.utf8)),
        ("empty body", Data()),
    ])
    func signedButNotAnEnvelopeIsStoredAsRejected(label: String, body: Data) async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let reply = try await h.post(body)
            #expect(reply.status == 400, "\(label)")
            let events = try h.events()
            #expect(events.count == 1, "\(label)")
            #expect(events.first?.outcome == .rejected)
            #expect(events.first?.body == body)
            #expect(events.first?.rejectReason?.isEmpty == false)
            // Rejected events never reach the processor's backlog.
            #expect(try h.store.eventBacklog() == 0)
            #expect(ServerHarness.sample(#"bizone_events_received_total{outcome="rejected"}"#, in: try await h.scrape()) == 1)
        }
    }

    @Test func unknownFieldsAndKindsInAnEnvelopeAreAccepted() async throws {
        // §12: acknowledge well-signed payloads we do not understand.
        let body = Data(#"{"object":"whatsapp_business_account","entry":[{"id":"1","time":"soon","changes":[{"field":"brand_new_field","value":{"anything":[1,2]}}]}]}"#.utf8)
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let reply = try await h.post(body)
            #expect(reply.status == 200)
            #expect(try h.events().map(\.outcome) == [.accepted])
        }
    }

    @Test func concurrentPostsAreAllDurableInFewerTransactions() async throws {
        let count = 500
        // Generous timeouts: the suite runs other load tests in parallel on two cores.
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(timeout: .init(connect: .seconds(120), read: .seconds(120)),
                                                     connectionPool: .init(idleTimeout: .seconds(30),
                                                                           concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
        do {
            try await ServerHarness.run { (h: ServerHarness) async throws in
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<count {
                        group.addTask { try await h.post(Fixtures.textWebhook(index), client: client).status }
                    }
                    var statuses: [Int] = []
                    for try await status in group { statuses.append(status) }
                    return statuses
                }
                #expect(statuses.count == count)
                #expect(statuses.allSatisfy { $0 == 200 })
                let events = try h.events()
                #expect(events.count == count)
                #expect(Set(events.map(\.body)) == Set((0..<count).map(Fixtures.textWebhook)))
                let batches = await h.writer.batchesWritten
                #expect(batches >= 1)
                #expect(batches < count, "group commit wrote \(batches) transactions for \(count) requests")
                #expect(await h.writer.eventsWritten == count)
                #expect(await h.writer.largestBatch > 1)
                #expect(ServerHarness.sample(#"bizone_events_received_total{outcome="accepted"}"#, in: try await h.scrape())
                        == Double(count))
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
