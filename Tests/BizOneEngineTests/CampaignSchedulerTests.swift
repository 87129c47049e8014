import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import MetaGraph
import Testing
import TestSupport

@Suite("Campaign scheduler")
struct CampaignSchedulerTests {
    static func date(_ text: String) -> Date { Timestamps.parse(text)! }

    func scheduler(_ store: StateStore, _ client: ScriptedGraphClient, _ time: VirtualTime,
                   configuration: CampaignDispatcher.Configuration = .init()) -> CampaignScheduler {
        CampaignScheduler(store: store, dispatcher: CampaignWorld.dispatcher(store, client, time: time, configuration: configuration),
                          logger: .quiet, now: time.now)
    }

    @Test("a due occurrence creates one run, which sends; ticking again or restarting creates no second run")
    func dueOccurrence() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.schedule("launch", #"{"at": "2025-06-15T16:00:00Z", "timezone": "UTC", "expireAfter": "1h"}"#, to: store)
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(20), schedule: "launch")
            let time = VirtualTime(Seed.t0) // 15:06:40, the campaign was just applied
            let client = ScriptedGraphClient()
            let first = scheduler(store, client, time)

            let early = try await first.tick()
            #expect(early.created.isEmpty && early.started.isEmpty)
            #expect(try store.campaignCursor(CampaignWorld.campaign) == Seed.t0)

            time.set(Self.date("2025-06-15T16:00:30Z"))
            let due = try await first.tick()
            #expect(due.created.count == 1)
            #expect(due.started == due.created)
            await first.waitForDispatches()
            let run = try #require(try store.campaignRun(id: due.created[0]))
            #expect(run.status == .completed)
            #expect(run.trigger == .schedule)
            #expect(run.scheduledFor == Self.date("2025-06-15T16:00:00Z"))
            #expect(client.requests.count == 20)

            time.advance(by: 5)
            let again = try await first.tick()
            #expect(again == CampaignScheduler.Tick())

            // A restart (new scheduler, new dispatcher, same state file).
            let restarted = scheduler(store, client, time)
            time.advance(by: 300)
            let afterRestart = try await restarted.tick()
            #expect(afterRestart.created.isEmpty && afterRestart.started.isEmpty)
            await restarted.waitForDispatches()
            #expect(try store.campaignRuns(campaign: CampaignWorld.campaign).count == 1)
            #expect(client.requests.count == 20)
        }
    }

    @Test("an occurrence older than expireAfter (the server was down) is recorded expired and sends nothing")
    func expiredOccurrence() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.schedule("launch", #"{"at": "2025-06-15T16:00:00Z", "timezone": "UTC", "expireAfter": "1h"}"#, to: store)
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(20), schedule: "launch")
            let time = VirtualTime(Self.date("2025-06-15T17:30:00Z")) // first start, 90 min after the due time
            let client = ScriptedGraphClient()
            let scheduler = scheduler(store, client, time)
            let tick = try await scheduler.tick()
            #expect(tick.created.isEmpty)
            #expect(tick.expired.count == 1)
            #expect(tick.started.isEmpty)
            await scheduler.waitForDispatches()
            let run = try #require(try store.campaignRun(id: tick.expired[0]))
            #expect(run.status == .expired)
            #expect(run.pauseReason?.contains("expireAfter (1h)") == true)
            #expect(try store.campaignRunCounts(runID: run.id).total == 0)
            #expect(client.requests.isEmpty)
            #expect(try await scheduler.tick() == CampaignScheduler.Tick())
        }
    }

    @Test("after downtime only the latest due occurrence runs; the earlier ones are recorded as superseded")
    func supersededOccurrences() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.schedule("hourly", #"{"cron": "0 * * * *", "timezone": "UTC"}"#, to: store)
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(5), schedule: "hourly")
            let time = VirtualTime(Seed.t0)
            let client = ScriptedGraphClient()
            let scheduler = scheduler(store, client, time)
            try await scheduler.tick()
            time.set(Self.date("2025-06-15T18:30:00Z"))
            let tick = try await scheduler.tick()
            #expect(tick.expired.count == 2)
            #expect(tick.created.count == 1)
            await scheduler.waitForDispatches()
            let runs = try store.campaignRuns(campaign: CampaignWorld.campaign)
            #expect(runs.map(\.status) == [.expired, .expired, .completed])
            #expect(runs[0].pauseReason == "superseded by the occurrence at 2025-06-15T18:00:00Z")
            #expect(client.requests.count == 5)
        }
    }

    @Test("outside the send window nothing is sent; inside it the run resumes and sends")
    func sendWindow() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.schedule("morning", """
                {"at": "2025-06-16T07:00:00Z", "timezone": "UTC", "window": {"start": "08:00", "end": "20:00"}}
                """, to: store)
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(15), schedule: "morning")
            let time = VirtualTime(Seed.t0)
            let client = ScriptedGraphClient()
            let scheduler = scheduler(store, client, time)
            try await scheduler.tick()

            time.set(Self.date("2025-06-16T07:00:30Z"))
            let closed = try await scheduler.tick()
            #expect(closed.created.count == 1)
            #expect(closed.paused == closed.created)
            #expect(closed.started.isEmpty)
            await scheduler.waitForDispatches()
            let runID = closed.created[0]
            let control = try store.campaignRunControl(id: runID)
            #expect(control?.status == .paused && control?.pauseSource == .window)
            #expect(control?.pauseReason == "outside the send window 08:00-20:00 (UTC)")
            #expect(client.requests.isEmpty)

            time.set(Self.date("2025-06-16T07:59:59Z"))
            #expect(try await scheduler.tick() == CampaignScheduler.Tick(), "still closed")

            time.set(Self.date("2025-06-16T08:00:05Z"))
            let open = try await scheduler.tick()
            #expect(open.resumed == [runID])
            #expect(open.started == [runID])
            await scheduler.waitForDispatches()
            #expect(try store.campaignRun(id: runID)?.status == .completed)
            #expect(client.requests.count == 15)
        }
    }

    @Test("a window that closes mid-run pauses it; a manual pause is never lifted by the window")
    func windowClosesMidRun() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.schedule("evening", """
                {"at": "2025-06-16T19:59:00Z", "timezone": "UTC", "window": {"start": "08:00", "end": "20:00"}}
                """, to: store)
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(40), throughput: 20, schedule: "evening")
            let time = VirtualTime(Seed.t0)
            let holder = Recorder<CampaignScheduler>()
            // At the 6th send the clock passes 20:00 and the scheduler ticks (as its loop would).
            let client = ScriptedGraphClient { _, _, number in
                if number == 6, let scheduler = holder.all.first {
                    time.set(Self.date("2025-06-16T20:00:01Z"))
                    _ = try await scheduler.tick()
                }
            }
            let scheduler = scheduler(store, client, time, configuration: .init(concurrency: 1))
            holder.append(scheduler)
            try await scheduler.tick()
            time.set(Self.date("2025-06-16T19:59:10Z"))
            let tick = try await scheduler.tick()
            #expect(tick.started.count == 1)
            await scheduler.waitForDispatches()
            let runID = tick.started[0]
            #expect(try store.campaignRunControl(id: runID)?.pauseSource == .window)
            #expect(client.requests.count <= 10)

            // Paused by hand at night: the next morning's window does not resume it.
            try store.pauseCampaignRun(id: runID, reason: "by hand", source: .manual, at: time.date)
            time.set(Self.date("2025-06-17T08:00:05Z"))
            #expect(try await scheduler.tick().resumed.isEmpty)
            try store.resumeCampaignRun(id: runID, at: time.date)
            #expect(try await scheduler.tick().started == [runID])
            await scheduler.waitForDispatches()
            #expect(try store.campaignRun(id: runID)?.status == .completed)
            #expect(client.requests.count == 40)
            #expect(Set(client.phones).count == 40)
        }
    }

    @Test("a template PAUSED webhook pauses the running run at its next batch")
    func templatePausedWebhook() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.schedule("launch", #"{"at": "2025-06-15T16:00:00Z", "timezone": "UTC"}"#, to: store)
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(40), throughput: 20, schedule: "launch")
            let time = VirtualTime(Seed.t0)
            let processor = EventProcessor(store: store, logger: .quiet, now: time.now)
            let client = ScriptedGraphClient { _, _, number in
                guard number == 3 else { return }
                try Seed.append(Seed.templateStatus(id: CampaignWorld.metaTemplateID, name: CampaignWorld.templateName,
                                                    language: "en-US", event: "PAUSED", time: 1_750_010_000,
                                                    reason: "NONE"), to: store)
                _ = try await processor.processAll()
            }
            let scheduler = scheduler(store, client, time, configuration: .init(concurrency: 1))
            time.set(Self.date("2025-06-15T16:00:30Z"))
            let tick = try await scheduler.tick()
            #expect(tick.started.count == 1)
            await scheduler.waitForDispatches()
            let runID = tick.started[0]
            let control = try #require(try store.campaignRunControl(id: runID))
            #expect(control.status == .paused)
            #expect(control.pauseSource == .template)
            #expect(control.pauseReason == "template template/promo_offer@en_US is PAUSED, not APPROVED")
            #expect(client.requests.count <= 5, "stopped within the batch in flight (sent \(client.requests.count))")
            #expect(try store.campaignRunCounts(runID: runID).byState["sending"] == nil)
            // Paused by the template: the scheduler does not pick it up again.
            #expect(try await scheduler.tick().started.isEmpty)
        }
    }

    @Test("a template webhook pauses queued runs too, before any dispatcher starts them")
    func templateHookPausesQueuedRuns() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(3))
            let run = try store.createCampaignRun(campaign: CampaignWorld.campaign, trigger: .manual, scheduledFor: nil, at: Seed.t0).run
            try Seed.append(Seed.templateStatus(id: CampaignWorld.metaTemplateID, name: CampaignWorld.templateName, language: "en_US",
                                                event: "DISABLED", time: 1_750_010_000), to: store)
            _ = try await EventProcessor(store: store, logger: .quiet).processAll()
            let control = try store.campaignRunControl(id: run.id)
            #expect(control?.status == .paused && control?.pauseSource == .template)
            #expect(control?.pauseReason?.contains("DISABLED") == true)
        }
    }

    @Test("after a restart, a run left running continues: interrupted rows become unknown, the rest is sent once")
    func resumesAfterRestart() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.schedule("launch", #"{"at": "2025-06-15T16:00:00Z", "timezone": "UTC"}"#, to: store)
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(12), schedule: "launch")
            let due = Self.date("2025-06-15T16:00:00Z")
            // The killed process: occurrence recorded, run started, audience queued, two rows in flight.
            let run = try #require(try store.recordScheduledOccurrences(campaign: CampaignWorld.campaign,
                                                                       [ScheduledOccurrence(scheduledFor: due, expired: false)],
                                                                       cursor: due, at: due).first)
            try store.startCampaignRun(id: run.id, at: due)
            try store.queueOutbox(runID: run.id, CampaignWorld.contacts(12).map {
                OutboxRecipient(phone: $0.phone, name: $0.name, attributes: $0.attributes)
            }, at: due)
            try store.finishQueueing(runID: run.id, at: due)
            let inFlight = try store.claimOutbox(runID: run.id, limit: 2, now: due).map(\.phone)

            let time = VirtualTime(Self.date("2025-06-15T16:10:00Z"))
            let client = ScriptedGraphClient()
            let scheduler = scheduler(store, client, time)
            let tick = try await scheduler.tick()
            #expect(tick.created.isEmpty, "the occurrence already has its run")
            #expect(tick.started == [run.id])
            await scheduler.waitForDispatches()
            #expect(try store.campaignRun(id: run.id)?.status == .completed)
            #expect(client.requests.count == 10)
            #expect(Set(client.phones).isDisjoint(with: inFlight))
            #expect(try store.campaignRunCounts(runID: run.id).byState == ["accepted": 10, "unknown": 2])
        }
    }

    @Test("suspend: true pauses a campaign's runs, suspend: false resumes them")
    func suspendAndUnsuspend() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(4), suspend: true)
            let time = VirtualTime(Seed.t0)
            let client = ScriptedGraphClient()
            let scheduler = scheduler(store, client, time)
            let run = try store.createCampaignRun(campaign: CampaignWorld.campaign, trigger: .manual, scheduledFor: nil, at: Seed.t0).run
            #expect(try await scheduler.tick().paused == [run.id])
            #expect(try store.campaignRunControl(id: run.id)?.pauseSource == .suspend)
            #expect(try await scheduler.tick() == CampaignScheduler.Tick())

            try CampaignWorld.setSuspend(false, store)
            let tick = try await scheduler.tick()
            #expect(tick.resumed == [run.id] && tick.started == [run.id])
            await scheduler.waitForDispatches()
            #expect(client.requests.count == 4)
        }
    }
}
