import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import MetaGraph
import Synchronization
import Testing

/// One pacer per phone number (issue 9 §3), on virtual time: runs of one process share the
/// number's rate, and a number another process sends for is waited for, never shared.
@Suite("One sender per phone number")
struct NumberSenderTests {
    /// The integration `main` at `rate` msg/s, and a second campaign on it.
    static func seedTwoCampaigns(_ store: StateStore, recipients: Int, rate: Int) throws {
        try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(recipients), throughput: rate)
        try Seed.apply([
            (ResourceID(kind: .integration, name: "main"), """
                {"spec": {"businessAccountId": "\(Seed.account)", "phoneNumberId": "\(Seed.phoneNumberID)",
                          "accessToken": {"env": "T"}, "appSecret": {"env": "S"}, "verifyToken": {"env": "V"},
                          "graph": {"baseURL": "http://127.0.0.1:9", "version": "v23.0"},
                          "webhookPath": "/api/webhooks/whatsapp", "throughput": {"messagesPerSecond": \(rate)}}}
                """),
            (ResourceID(kind: .campaign, name: "second"), """
                {"spec": {"template": {"name": "\(CampaignWorld.templateName)", "language": "\(CampaignWorld.language)"},
                          "audience": "vip", "integration": "main",
                          "parameters": {"first_name": "{{contact.name}}", "city": "{{contact.attributes.city}}", "code": "X"},
                          "throughput": {"messagesPerSecond": \(rate)}, "retry": {"maxAttempts": 3, "backoff": "30s"},
                          "stopConditions": {"maxFailureRate": 0.2}, "suspend": false}}
                """),
        ], to: store)
    }

    @Test("two campaigns on one number at its rate each send at the number's rate together")
    func twoRunsShareTheNumbersRate() async throws {
        try await TemporaryState.with { store in
            try Self.seedTwoCampaigns(store, recipients: 200, rate: 50)
            let time = VirtualTime(Seed.t0)
            let sendTimes = Mutex<[Double]>([])
            let client = ScriptedGraphClient { _, _, _ in sendTimes.withLock { $0.append(time.elapsed) } }
            let dispatcher = CampaignWorld.dispatcher(store, client, time: time)
            let first = try dispatcher.createManualRun(campaign: CampaignWorld.campaign).id
            let second = try dispatcher.createManualRun(campaign: "second").id
            async let a = dispatcher.run(runID: first)
            async let b = dispatcher.run(runID: second)
            let outcomes = try await [a, b]
            #expect(outcomes == [.completed, .completed])
            let times = sendTimes.withLock { $0 }.sorted()
            #expect(times.count == 400)
            // A token bucket at 50/s with a burst of 5: the n-th send (0-based) never comes
            // before (n - 5) / 50 seconds. Two buckets of their own would send twice as fast.
            let early = times.enumerated().filter { index, at in at + 1e-9 < Double(index - 5) / 50 }.count
            #expect(early == 0, "sends that came faster than 50/s")
            #expect(try store.senderLease(phoneNumberID: Seed.phoneNumberID) == nil, "the last run gave the lease back")
        }
    }

    @Test("a number another live process sends for is waited for until its lease ends; nothing is sent meanwhile")
    func aHeldNumberIsWaitedFor() async throws {
        try await TemporaryState.with { store in
            try Self.seedTwoCampaigns(store, recipients: 20, rate: 50)
            let elsewhere = "other-host|4242|feedbeef"
            #expect(try store.acquireSenderLease(phoneNumberID: Seed.phoneNumberID, holder: elsewhere,
                                                 until: Seed.t0.addingTimeInterval(120), now: Seed.t0) == .acquired)
            let time = VirtualTime(Seed.t0)
            let sendTimes = Mutex<[Double]>([])
            let client = ScriptedGraphClient { _, _, _ in sendTimes.withLock { $0.append(time.elapsed) } }
            let dispatcher = CampaignWorld.dispatcher(store, client, time: time)
            let waiting = Recorder<String>()
            let run = try dispatcher.createManualRun(campaign: CampaignWorld.campaign).id
            let outcome = try await dispatcher.run(runID: run) { progress in
                if let text = progress.waiting { waiting.append(text) }
            }
            #expect(outcome == .completed)
            #expect(waiting.all.count == 1)
            #expect(waiting.all.first?.contains(elsewhere) == true)
            let times = sendTimes.withLock { $0 }
            #expect(times.count == 20)
            #expect(times.allSatisfy { $0 >= 120 }, "sent while the other process held the number: \(times.min() ?? -1)")
        }
    }

    @Test("a run whose number was taken over by another process stops sending")
    func aLostLeaseStopsTheRun() async throws {
        try await TemporaryState.with { store in
            try Self.seedTwoCampaigns(store, recipients: 300, rate: 50)
            let time = VirtualTime(Seed.t0)
            let thief = "other-host|7|cafe"
            let client = ScriptedGraphClient { _, _, number in
                guard number == 50, let (holder, _) = try store.senderLease(phoneNumberID: Seed.phoneNumberID) else { return }
                _ = try store.acquireSenderLease(phoneNumberID: Seed.phoneNumberID, holder: thief, until: time.date.addingTimeInterval(600),
                                                 now: time.date, replacing: holder)
            }
            let dispatcher = CampaignWorld.dispatcher(store, client, time: time, configuration: .init(leaseSeconds: 2))
            let run = try dispatcher.createManualRun(campaign: CampaignWorld.campaign).id
            let outcome = try await dispatcher.run(runID: run)
            #expect(outcome == .busy(holder: thief))
            #expect(client.requests.count < 300)
            #expect(try store.senderLease(phoneNumberID: Seed.phoneNumberID)?.holder == thief)
        }
    }
}
