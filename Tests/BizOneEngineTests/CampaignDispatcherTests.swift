import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import MetaGraph
import Testing
import TestSupport

@Suite("Campaign dispatcher")
struct CampaignDispatcherTests {
    func manualRun(_ dispatcher: CampaignDispatcher) throws -> Int64 {
        try dispatcher.createManualRun(campaign: CampaignWorld.campaign).id
    }

    @Test("sends exactly once per recipient, skips a missing parameter with its reason, fills parameters and callback data")
    func sendsOncePerRecipient() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(60, withoutCity: [3, 17, 42]))
            let time = VirtualTime(Seed.t0)
            let client = ScriptedGraphClient()
            let events = Recorder<CampaignSendEvent>()
            let progress = Recorder<CampaignProgress>()
            let dispatcher = CampaignWorld.dispatcher(store, client, time: time, configuration: .init(concurrency: 8, maxBatch: 16),
                                                      onSend: { events.append($0) })
            let runID = try manualRun(dispatcher)
            let outcome = try await dispatcher.run(runID: runID, progress: { progress.append($0) })
            #expect(outcome == .completed)

            let phones = client.phones
            #expect(phones.count == 57)
            #expect(Set(phones).count == 57, "nobody twice")
            #expect(!phones.contains(CampaignWorld.phone(3)))
            let counts = try store.campaignRunCounts(runID: runID)
            #expect(counts.byState == ["accepted": 57, "skipped": 3])
            #expect(counts.skippedByReason == ["missing contact.attributes.city": 3])
            #expect(events.all.count == 57 && events.all.allSatisfy { $0.outcome == .accepted && $0.runID == runID })
            #expect(progress.all.last?.done == 60 && progress.all.last?.total == 60)

            let request = try #require(client.requests.first { $0.to == CampaignWorld.phone(5) })
            #expect(request.bizOpaqueCallbackData == "run:\(runID)")
            #expect(request.template?.name == CampaignWorld.templateName)
            #expect(request.template?.language.code == CampaignWorld.language)
            let parameters = request.template?.components?.first?.parameters ?? []
            #expect(parameters.map(\.parameterName) == ["first_name", "city", "code"])
            #expect(parameters.map(\.text) == ["Contact 5", "City 5", "SAVE10"])

            let entry = try #require(try store.outboxEntry(runID: runID, phone: CampaignWorld.phone(5)))
            #expect(entry.wamid == "wamid.\(CampaignWorld.phone(5).dropFirst()).1")
            #expect(try store.message(wamid: entry.wamid ?? "")?.callbackData == "run:\(runID)")
            let run = try #require(try store.campaignRun(id: runID))
            #expect(run.status == .completed && run.recipients == 60 && run.trigger == .manual)

            // Running a completed run again sends nothing.
            #expect(try await dispatcher.run(runID: runID) == .completed)
            #expect(client.requests.count == 57)
        }
    }

    @Test("a retryable error twice then success: 3 attempts, accepted; retries exhausted: failed with the code")
    func retries() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(2), maxAttempts: 3, backoff: "30s")
            let time = VirtualTime(Seed.t0)
            let lucky = CampaignWorld.phone(0)
            let client = ScriptedGraphClient { request, attempt, _ in
                if request.to == lucky, attempt <= 2 { throw ScriptedGraphClient.graphError(131_000, "Something went wrong") }
                if request.to != lucky { throw ScriptedGraphClient.graphError(130_429, "Rate limit hit") }
            }
            let events = Recorder<CampaignSendEvent>()
            let dispatcher = CampaignWorld.dispatcher(store, client, time: time, onSend: { events.append($0) })
            let runID = try manualRun(dispatcher)
            #expect(try await dispatcher.run(runID: runID) == .completed)

            let accepted = try #require(try store.outboxEntry(runID: runID, phone: lucky))
            #expect(accepted.state == .accepted)
            #expect(accepted.attempts == 3)
            #expect(accepted.errorCode == nil)
            let exhausted = try #require(try store.outboxEntry(runID: runID, phone: CampaignWorld.phone(1)))
            #expect(exhausted.state == .failed)
            #expect(exhausted.attempts == 3)
            #expect(exhausted.errorCode == 130_429)
            #expect(exhausted.errorTitle == "Rate limit hit")
            #expect(client.requests.count == 6)
            #expect(time.elapsed >= 90, "backoff 30 s then 60 s")
            #expect(events.all.filter { $0.outcome == .retry }.count == 4)
        }
    }

    @Test("131026 and 131049 fail at once and are not retried; 131050 also opts the contact out")
    func perUserFailures() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(4), maxAttempts: 5)
            let codes = [CampaignWorld.phone(0): 131_026, CampaignWorld.phone(1): 131_049, CampaignWorld.phone(2): 131_050]
            let client = ScriptedGraphClient { request, _, _ in
                // Even marked transient, per-user failures are not retried within the run.
                if let code = codes[request.to] { throw ScriptedGraphClient.graphError(code, "per-user", transient: true) }
            }
            let dispatcher = CampaignWorld.dispatcher(store, client, time: VirtualTime(Seed.t0))
            let runID = try manualRun(dispatcher)
            #expect(try await dispatcher.run(runID: runID) == .completed)
            #expect(client.requests.count == 4, "one request each")
            let counts = try store.campaignRunCounts(runID: runID)
            #expect(counts.byState == ["accepted": 1, "failed": 3])
            #expect(counts.failedByCode == ["131026": 1, "131049": 1, "131050": 1])
            let failed = try #require(try store.outboxEntry(runID: runID, phone: CampaignWorld.phone(0)))
            #expect(failed.attempts == 1 && failed.errorTitle == "per-user")
            #expect(try store.isOptedOut(phone: CampaignWorld.phone(2)))
            #expect(try !store.isOptedOut(phone: CampaignWorld.phone(0)))

            // The next run of the campaign leaves the opted-out contact out.
            let next = try manualRun(dispatcher)
            #expect(try await dispatcher.run(runID: next) == .completed)
            #expect(try store.campaignRunCounts(runID: next).total == 3)
        }
    }

    @Test("a failure rate above the limit pauses the run; nothing is lost, resuming continues")
    func failureRatePause() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(200), maxFailureRate: 0.2)
            let client = ScriptedGraphClient { request, _, _ in
                let index = Int(request.to.suffix(3)) ?? 0
                if index.isMultiple(of: 2) { throw ScriptedGraphClient.graphError(131_026, "Message undeliverable") }
            }
            let dispatcher = CampaignWorld.dispatcher(store, client, time: VirtualTime(Seed.t0),
                                                      configuration: .init(concurrency: 4, maxBatch: 16))
            let runID = try manualRun(dispatcher)
            let outcome = try await dispatcher.run(runID: runID)
            guard case .paused(let reason) = outcome else {
                Issue.record("expected a pause, got \(outcome)")
                return
            }
            #expect(reason.contains("failure rate"))
            let control = try store.campaignRunControl(id: runID)
            #expect(control?.status == .paused && control?.pauseSource == .failureRate)
            let sent = client.requests.count
            #expect(sent >= 20 && sent < 40, "stopped soon after 20 attempts (sent \(sent))")
            let counts = try store.campaignRunCounts(runID: runID)
            #expect(counts.total == 200)
            #expect(counts.byState["sending"] == nil)
            #expect(counts.byState["queued"] == 200 - sent)

            // Resumed by hand, the session starts afresh: it pauses again after another 20.
            #expect(try store.resumeCampaignRun(id: runID, at: Seed.t0))
            guard case .paused = try await dispatcher.run(runID: runID) else {
                Issue.record("expected a second pause")
                return
            }
            #expect(Set(client.phones).count == client.phones.count, "still nobody twice")
        }
    }

    @Test("a pause flag set in the store stops the run within one batch; resume continues where it stopped")
    func pauseFlag() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(100), throughput: 20)
            let paused = Recorder<Int64>()
            let client = ScriptedGraphClient { _, _, number in
                if number == 7, let run = try store.campaignRuns(statuses: [.running]).first {
                    try store.pauseCampaignRun(id: run.id, reason: "paused by hand", source: .manual, at: Seed.t0)
                    paused.append(run.id)
                }
            }
            // 20 msg/s and 0.25 s batches: 5 recipients per batch.
            let dispatcher = CampaignWorld.dispatcher(store, client, time: VirtualTime(Seed.t0), configuration: .init(concurrency: 2))
            let runID = try manualRun(dispatcher)
            #expect(try await dispatcher.run(runID: runID) == .paused(reason: "paused by hand"))
            #expect(paused.all == [runID])
            #expect(client.requests.count <= 10, "the batch in flight finishes, no other starts (sent \(client.requests.count))")
            #expect(try store.campaignRunCounts(runID: runID).byState["sending"] == nil)

            #expect(try store.resumeCampaignRun(id: runID, at: Seed.t0))
            #expect(try await dispatcher.run(runID: runID) == .completed)
            #expect(client.requests.count == 100)
            #expect(Set(client.phones).count == 100)
        }
    }

    @Test("after a crash, rows left sending become unknown and are never sent again")
    func crashLeavesUnknown() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(10))
            let time = VirtualTime(Seed.t0)
            // What a killed process leaves: the run started, everyone queued, three rows claimed,
            // and its lease still held by a pid that no longer exists on this host.
            let run = try store.createCampaignRun(campaign: CampaignWorld.campaign, trigger: .manual, scheduledFor: nil, at: Seed.t0).run
            try store.startCampaignRun(id: run.id, at: Seed.t0)
            try store.queueOutbox(runID: run.id, CampaignWorld.contacts(10).map {
                OutboxRecipient(phone: $0.phone, name: $0.name, attributes: $0.attributes)
            }, at: Seed.t0)
            try store.finishQueueing(runID: run.id, at: Seed.t0)
            let inFlight = try store.claimOutbox(runID: run.id, limit: 3, now: Seed.t0).map(\.phone)
            let dead = "\(ProcessInfo.processInfo.hostName)|999999|dead"
            #expect(try store.acquireCampaignRunLease(id: run.id, holder: dead, until: Seed.t0.addingTimeInterval(3_600),
                                                      now: Seed.t0) == .acquired)

            let client = ScriptedGraphClient()
            let dispatcher = CampaignWorld.dispatcher(store, client, time: time)
            #expect(try await dispatcher.run(runID: run.id) == .completed)
            #expect(client.requests.count == 7)
            #expect(Set(client.phones).isDisjoint(with: inFlight))
            let counts = try store.campaignRunCounts(runID: run.id)
            #expect(counts.byState == ["accepted": 7, "unknown": 3])
            #expect(counts.total == 10, "the totals add up to the audience")
        }
    }

    @Test("a run leased by a live dispatcher elsewhere is left alone")
    func busyLease() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(3))
            let client = ScriptedGraphClient()
            let dispatcher = CampaignWorld.dispatcher(store, client, time: VirtualTime(Seed.t0))
            let runID = try store.createCampaignRun(campaign: CampaignWorld.campaign, trigger: .manual, scheduledFor: nil, at: Seed.t0).run.id
            #expect(try store.acquireCampaignRunLease(id: runID, holder: "elsewhere|1|x", until: Seed.t0.addingTimeInterval(60),
                                                      now: Seed.t0) == .acquired)
            #expect(try await dispatcher.run(runID: runID) == .busy(holder: "elsewhere|1|x"))
            #expect(client.requests.isEmpty)
            #expect(try store.campaignRunCounts(runID: runID).total == 0)
        }
    }

    @Test("a manual run is leased to the dispatcher that created it: another one (serve's) leaves it alone")
    func manualRunIsLeasedToItsCreator() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(3))
            let time = VirtualTime(Seed.t0)
            let client = ScriptedGraphClient()
            let creator = CampaignWorld.dispatcher(store, client, time: time)
            let other = CampaignWorld.dispatcher(store, client, time: time)
            let runID = try manualRun(creator)
            guard case .busy = try await other.run(runID: runID) else {
                Issue.record("another dispatcher took a run leased to its creator")
                return
            }
            #expect(client.requests.isEmpty)
            #expect(try await creator.run(runID: runID) == .completed)
            #expect(client.requests.count == 3)
        }
    }

    @Test("refuses a template that is not APPROVED: the run is recorded paused with the reason, nothing sent")
    func refusesUnapprovedTemplate() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(5), templateStatus: "PENDING")
            let client = ScriptedGraphClient()
            let dispatcher = CampaignWorld.dispatcher(store, client, time: VirtualTime(Seed.t0))
            let runID = try manualRun(dispatcher)
            let outcome = try await dispatcher.run(runID: runID)
            #expect(outcome == .paused(reason: "template template/promo_offer@en_US is PENDING, not APPROVED"))
            #expect(client.requests.isEmpty)
            let control = try store.campaignRunControl(id: runID)
            #expect(control?.status == .paused && control?.pauseSource == .template)
            #expect(try store.campaignRunCounts(runID: runID).total == 0)
            #expect(try store.campaignRun(id: runID)?.startedAt == nil)

            // Approved later and resumed by hand, it sends.
            try store.recordTemplateStatus(TemplateStatusUpdate(id: CampaignWorld.templateID, status: "APPROVED", source: "webhook",
                                                                at: Seed.t0.addingTimeInterval(60)))
            #expect(try store.resumeCampaignRun(id: runID, at: Seed.t0))
            #expect(try await dispatcher.run(runID: runID) == .completed)
            #expect(client.requests.count == 5)
        }
    }

    @Test("an error about the whole campaign (template paused at Meta) pauses at once and keeps the recipient queued")
    func campaignLevelError() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(50))
            let client = ScriptedGraphClient { _, _, number in
                if number >= 3 { throw ScriptedGraphClient.graphError(132_015, "Template is paused") }
            }
            let dispatcher = CampaignWorld.dispatcher(store, client, time: VirtualTime(Seed.t0), configuration: .init(concurrency: 1))
            let runID = try manualRun(dispatcher)
            let outcome = try await dispatcher.run(runID: runID)
            guard case .paused(let reason) = outcome else {
                Issue.record("expected a pause, got \(outcome)")
                return
            }
            #expect(reason.contains("132015"))
            #expect(client.requests.count == 3)
            #expect(try store.campaignRunControl(id: runID)?.pauseSource == .template)
            let counts = try store.campaignRunCounts(runID: runID)
            #expect(counts.byState == ["accepted": 2, "queued": 48])
        }
    }

    @Test("suspend: true pauses the run before anything is sent")
    func suspended() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(5), suspend: true)
            let client = ScriptedGraphClient()
            let dispatcher = CampaignWorld.dispatcher(store, client, time: VirtualTime(Seed.t0))
            let runID = try manualRun(dispatcher)
            #expect(try await dispatcher.run(runID: runID) == .paused(reason: "campaign is suspended (suspend: true)"))
            #expect(try store.campaignRunControl(id: runID)?.pauseSource == .suspend)
            #expect(client.requests.isEmpty)
        }
    }

    @Test("a timeout after the request went out is recorded unknown and never resent")
    func outcomeUnknown() async throws {
        try await TemporaryState.with { store in
            try CampaignWorld.seed(store, contacts: CampaignWorld.contacts(3))
            let client = ScriptedGraphClient { request, _, _ in
                if request.to == CampaignWorld.phone(1) {
                    throw GraphError(kind: .timeout, message: "no answer in 30 s", outcomeUnknown: true)
                }
            }
            let events = Recorder<CampaignSendEvent>()
            let dispatcher = CampaignWorld.dispatcher(store, client, time: VirtualTime(Seed.t0), onSend: { events.append($0) })
            let runID = try manualRun(dispatcher)
            #expect(try await dispatcher.run(runID: runID) == .completed)
            #expect(client.requests.count == 3)
            #expect(try store.outboxEntry(runID: runID, phone: CampaignWorld.phone(1))?.state == .unknown)
            #expect(events.all.filter { $0.outcome == .unknown }.count == 1)
        }
    }

    @Test("parameters: literals, several references in one value, and what is missing", arguments: [
        ("Hi {{contact.name}} from {{ contact.attributes.city }}!", "Hi Ana from Bandung!", nil),
        ("{{contact.phone}}", "+6281100000001", nil),
        ("plain", "plain", nil),
        ("{{contact.attributes.tier}}", nil, "missing contact.attributes.tier"),
        ("{{contact.email}}", nil, "missing contact.email"),
    ] as [(String, String?, String?)])
    func parameters(value: String, expected: String?, reason: String?) {
        let parameters = CampaignParameters(["p": value])
        switch parameters.resolve(phone: "+6281100000001", name: "Ana", attributes: ["city": "Bandung"]) {
        case .success(let values):
            #expect(values["p"] == expected)
            #expect(reason == nil)
        case .failure(let missing):
            #expect(missing.reason == reason)
            #expect(expected == nil)
        }
        #expect(CampaignParameters(["p": "{{contact.name}}"]).resolve(phone: "+1", name: " ", attributes: [:])
                == .failure(.init("contact.name")))
    }

    @Test("one set of clients: the send view leaves retries and pacing to the engine and shares the number's pacer")
    func sendView() {
        let base = GraphClientConfiguration(businessAccountID: "1", phoneNumberID: "2", accessToken: "t", messagesPerSecond: 80)
        let client = LiveGraphClient(configuration: base)
        let meta = MetaClients(live: ["main": client])
        let sender = meta.sender(for: nil)?.client as? LiveGraphClient
        #expect(sender?.configuration.retry == RetryPolicy.none)
        #expect(sender?.pacesSends == false)
        #expect(client.pacesSends)
        #expect(sender?.configuration.phoneNumberID == "2")
        // The client's own sends, the send view and the dispatcher draw from one bucket.
        #expect(sender?.tokenBucket === client.tokenBucket)
        #expect(meta.pacers["main"]?.bucket === client.tokenBucket)
        #expect(meta.pacers["main"]?.pairs === client.pairLimiter)
    }
}
