import BizOneModel
@testable import BizOneStore
import Foundation
import Testing

@Suite("Campaign runs and the outbox")
struct OutboxTests {
    static func recipients(_ count: Int, from start: Int = 0) -> [OutboxRecipient] {
        (start..<(start + count)).map { OutboxRecipient(phone: "+6281100\(String(format: "%05d", $0))", name: "C\($0)") }
    }

    static func status(_ wamid: String, _ status: String, at seconds: TimeInterval = 0, code: Int? = nil,
                       callback: String? = nil, recipient: String? = nil) -> MessageStatusEvent {
        MessageStatusEvent(wamid: wamid, status: status, at: Fixture.t0.addingTimeInterval(seconds), recipientID: recipient,
                           callbackData: callback, errorCode: code, errorTitle: code.map { "error \($0)" })
    }

    // MARK: runs

    @Test("an occurrence gets one run however often it is created; manual runs are always new")
    func occurrenceIsUnique() throws {
        try TemporaryStore.with { store in
            let first = try store.createCampaignRun(campaign: "promo", trigger: .schedule, scheduledFor: Fixture.t1, at: Fixture.t0)
            let again = try store.createCampaignRun(campaign: "promo", trigger: .schedule, scheduledFor: Fixture.t1, at: Fixture.t2)
            #expect(first.created)
            #expect(!again.created)
            #expect(again.run.id == first.run.id)
            #expect(again.run.createdAt == Fixture.t0)
            let other = try store.createCampaignRun(campaign: "other", trigger: .schedule, scheduledFor: Fixture.t1, at: Fixture.t0)
            #expect(other.created)
            let manual1 = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0)
            let manual2 = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0)
            #expect(manual1.created && manual2.created && manual1.run.id != manual2.run.id)
            #expect(try store.campaignRuns(campaign: "promo").count == 3)
        }
    }

    @Test("occurrences and the cursor are recorded together; expired occurrences are never queued")
    func occurrencesAndCursor() throws {
        try TemporaryStore.with { store in
            #expect(try store.campaignCursor("promo") == nil)
            let created = try store.recordScheduledOccurrences(campaign: "promo", [
                ScheduledOccurrence(scheduledFor: Fixture.t0, expired: true, reason: "too late"),
                ScheduledOccurrence(scheduledFor: Fixture.t1, expired: false),
            ], cursor: Fixture.t2, at: Fixture.t2)
            #expect(created.map(\.status) == [.expired, .queued])
            #expect(created[0].pauseReason == "too late")
            #expect(created[0].finishedAt == Fixture.t2)
            #expect(try store.campaignCursor("promo") == Fixture.t2)
            // The same occurrences again (a restart before the cursor moved) create nothing.
            let again = try store.recordScheduledOccurrences(campaign: "promo", [ScheduledOccurrence(scheduledFor: Fixture.t1, expired: false)],
                                                             cursor: Fixture.t1, at: Fixture.t2)
            #expect(again.isEmpty)
            #expect(try store.campaignCursor("promo") == Fixture.t2, "the cursor never moves back")
            #expect(try store.campaignRuns(campaign: "promo").count == 2)
        }
    }

    @Test("pause, resume and cancel move only the runs they may")
    func pauseResumeCancel() throws {
        try TemporaryStore.with { store in
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            #expect(try store.startCampaignRun(id: run.id, at: Fixture.t0))
            #expect(try store.pauseCampaignRun(id: run.id, reason: "night", source: .window, at: Fixture.t0))
            // A hard pause overrides a window pause; a window pause does not override a hard one.
            #expect(try store.pauseCampaignRun(id: run.id, reason: "by hand", source: .manual, at: Fixture.t0))
            #expect(try !store.pauseCampaignRun(id: run.id, reason: "night", source: .window, at: Fixture.t0))
            #expect(try store.campaignRunControl(id: run.id) == CampaignRunControl(status: .paused, pauseReason: "by hand", pauseSource: .manual))
            #expect(try !store.resumeCampaignRun(id: run.id, onlyPausedBy: [.window], at: Fixture.t0))
            #expect(try store.resumeCampaignRun(id: run.id, at: Fixture.t0))
            #expect(try store.campaignRun(id: run.id)?.status == .running, "it had started")

            let queued = try store.createCampaignRun(campaign: "promo", trigger: .schedule, scheduledFor: Fixture.t1, at: Fixture.t0).run
            #expect(try store.pauseCampaignRuns(campaign: "promo", reason: "template PAUSED", source: .template, at: Fixture.t0).sorted()
                    == [run.id, queued.id])
            #expect(try store.resumeCampaignRuns(campaign: "promo", at: Fixture.t0).sorted() == [run.id, queued.id])
            #expect(try store.campaignRun(id: queued.id)?.status == .queued, "it never started")

            try store.queueOutbox(runID: run.id, Self.recipients(3), at: Fixture.t0)
            _ = try store.claimOutbox(runID: run.id, limit: 1, now: Fixture.t0)
            #expect(try store.cancelCampaignRuns(campaign: "promo", at: Fixture.t1).sorted() == [run.id, queued.id])
            let counts = try store.campaignRunCounts(runID: run.id)
            #expect(counts.byState == ["sending": 1, "skipped": 2])
            #expect(counts.skippedByReason == ["run cancelled": 2])
            #expect(try store.campaignRun(id: run.id)?.finishedAt == Fixture.t1)
            #expect(try !store.resumeCampaignRun(id: run.id, at: Fixture.t1), "a cancelled run stays cancelled")
            #expect(try !store.pauseCampaignRun(id: run.id, reason: "x", source: .manual, at: Fixture.t1))
        }
    }

    @Test("only a run that never started expires")
    func expireNeverStarted() throws {
        try TemporaryStore.with { store in
            let waiting = try store.createCampaignRun(campaign: "promo", trigger: .schedule, scheduledFor: Fixture.t0, at: Fixture.t0).run
            let started = try store.createCampaignRun(campaign: "promo", trigger: .schedule, scheduledFor: Fixture.t1, at: Fixture.t0).run
            try store.startCampaignRun(id: started.id, at: Fixture.t1)
            #expect(try store.expireCampaignRun(id: waiting.id, reason: "late", at: Fixture.t2))
            #expect(try !store.expireCampaignRun(id: started.id, reason: "late", at: Fixture.t2))
            #expect(try store.campaignRun(id: waiting.id)?.status == .expired)
        }
    }

    @Test("the lease keeps a second dispatcher off a run until it expires or is released")
    func lease() throws {
        try TemporaryStore.with { store in
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            #expect(try store.acquireCampaignRunLease(id: run.id, holder: "a", until: Fixture.t1, now: Fixture.t0) == .acquired)
            #expect(try store.acquireCampaignRunLease(id: run.id, holder: "b", until: Fixture.t1, now: Fixture.t0) == .held(by: "a", until: Fixture.t1))
            #expect(try store.acquireCampaignRunLease(id: run.id, holder: "b", until: Fixture.t1, now: Fixture.t0, replacing: "a") == .acquired)
            #expect(try store.acquireCampaignRunLease(id: run.id, holder: "c", until: Fixture.t2, now: Fixture.t2) == .acquired, "expired")
            try store.releaseCampaignRunLease(id: run.id, holder: "b")
            #expect(try store.campaignRunLease(id: run.id)?.holder == "c", "only the holder releases")
            try store.releaseCampaignRunLease(id: run.id, holder: "c")
            #expect(try store.campaignRunLease(id: run.id) == nil)
            #expect(try store.acquireCampaignRunLease(id: 999, holder: "a", until: Fixture.t1, now: Fixture.t0) == .noRun)
        }
    }

    // MARK: queueing and claiming

    @Test("a recipient is never queued twice in a run")
    func neverQueuedTwice() throws {
        try TemporaryStore.with { store in
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            #expect(try store.queueOutbox(runID: run.id, Self.recipients(5), at: Fixture.t0) == 5)
            // Queueing again after a crash, with overlap and a duplicate inside the batch.
            var again = Self.recipients(7)
            again.append(again[0])
            #expect(try store.queueOutbox(runID: run.id, again, at: Fixture.t1) == 2)
            #expect(try store.queueOutbox(runID: run.id, [OutboxRecipient(phone: "+6281199999999", skipReason: "missing contact.name")],
                                          at: Fixture.t1) == 1)
            #expect(try store.finishQueueing(runID: run.id, at: Fixture.t1) == 8)
            #expect(try store.campaignRun(id: run.id)?.recipients == 8)
            #expect(try store.campaignRunQueuedAll(id: run.id))
            let counts = try store.campaignRunCounts(runID: run.id)
            #expect(counts.byState == ["queued": 7, "skipped": 1])
            #expect(counts.skippedByReason == ["missing contact.name": 1])
            // A second run of the same campaign is a separate outbox.
            let second = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            #expect(try store.queueOutbox(runID: second.id, Self.recipients(5), at: Fixture.t0) == 5)
        }
    }

    @Test("attributes survive the round trip")
    func attributesRoundTrip() throws {
        try TemporaryStore.with { store in
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            let attributes = ["city": "Jakarta \"Selatan\"", "note": "a\\b\nc", "emoji": "🎉"]
            try store.queueOutbox(runID: run.id, [OutboxRecipient(phone: "+6281100000001", name: "Ana", attributes: attributes)], at: Fixture.t0)
            let claimed = try store.claimOutbox(runID: run.id, limit: 10, now: Fixture.t0)
            #expect(claimed.count == 1)
            #expect(claimed[0].attributes == attributes)
            #expect(claimed[0].name == "Ana")
            #expect(claimed[0].state == .sending)
            #expect(claimed[0].attempts == 1)
        }
    }

    @Test("claims are atomic: concurrent claimers never get the same row")
    func claimIsAtomic() async throws {
        let directory = TemporaryStore.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.db").path
        let store = try StateStore(path: path)
        let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
        try store.queueOutbox(runID: run.id, Self.recipients(2_000), at: Fixture.t0)
        // Eight claimers on separate connections (two store instances), racing.
        let other = try StateStore(path: path)
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for index in 0..<8 {
                let claimer = index.isMultiple(of: 2) ? store : other
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let batch = try claimer.claimOutbox(runID: run.id, limit: 37, now: Fixture.t0)
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.phone)
                    }
                }
            }
            var all: [String] = []
            for try await part in group { all += part }
            return all
        }
        #expect(claimed.count == 2_000)
        #expect(Set(claimed).count == 2_000)
        #expect(try store.campaignRunCounts(runID: run.id).byState == ["sending": 2_000])
    }

    @Test("a claim takes only due rows, and skips a recipient who opted out since queueing")
    func claimDueAndOptedOut() throws {
        try TemporaryStore.with { store in
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            let rows = Self.recipients(3)
            try store.queueOutbox(runID: run.id, rows, at: Fixture.t0)
            try store.optOut(phone: rows[2].phone, at: Fixture.t0)
            let first = try store.claimOutbox(runID: run.id, limit: 10, now: Fixture.t0)
            #expect(first.map(\.phone) == [rows[0].phone, rows[1].phone])
            #expect(try store.outboxEntry(runID: run.id, phone: rows[2].phone)?.skipReason == "opted out")
            #expect(try store.outboxEntry(runID: run.id, phone: rows[2].phone)?.attempts == 0)

            try store.markOutboxRetry(runID: run.id, phone: rows[0].phone, next: Fixture.t1, code: 130_429, title: "Rate limit hit", at: Fixture.t0)
            try store.recordOutboxResults(runID: run.id, [.released(phone: rows[1].phone)], at: Fixture.t0)
            #expect(try store.outboxEntry(runID: run.id, phone: rows[1].phone)?.attempts == 0, "a released row was not attempted")
            let second = try store.claimOutbox(runID: run.id, limit: 10, now: Fixture.t0.addingTimeInterval(1))
            #expect(second.map(\.phone) == [rows[1].phone], "the retry is not due yet")
            let pending = try store.pendingOutbox(runID: run.id)
            #expect(pending.queued == 1 && pending.sending == 1 && pending.nextAttemptAt == Fixture.t1)
            let third = try store.claimOutbox(runID: run.id, limit: 10, now: Fixture.t1)
            #expect(third.map(\.phone) == [rows[0].phone])
            #expect(third[0].attempts == 2)
            #expect(third[0].errorCode == 130_429, "the last error is kept until the next outcome")
        }
    }

    @Test("results move only rows being sent; 131050 opts the contact out")
    func results() throws {
        try TemporaryStore.with { store in
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            let rows = Self.recipients(4)
            try store.queueOutbox(runID: run.id, rows, at: Fixture.t0)
            _ = try store.claimOutbox(runID: run.id, limit: 4, now: Fixture.t0)
            try store.recordOutboxResults(runID: run.id, [
                .accepted(phone: rows[0].phone, wamid: "wamid.A", recipientID: "628110000000"),
                .failed(phone: rows[1].phone, code: 131_050, title: "User stopped marketing", details: "opted out", optOut: true),
                .unknown(phone: rows[2].phone, code: nil, title: "Timeout"),
                .skipped(phone: rows[3].phone, reason: "missing contact.attributes.city"),
            ], at: Fixture.t1)
            // A late duplicate result changes nothing.
            try store.markOutboxFailed(runID: run.id, phone: rows[0].phone, code: 1, title: "late", details: nil, at: Fixture.t2)
            let accepted = try #require(try store.outboxEntry(runID: run.id, phone: rows[0].phone))
            #expect(accepted.state == .accepted && accepted.wamid == "wamid.A" && accepted.attempts == 1)
            #expect(try store.message(wamid: "wamid.A")?.status == "accepted")
            #expect(try store.message(wamid: "wamid.A")?.callbackData == "run:\(run.id)")
            #expect(try store.isOptedOut(phone: rows[1].phone))
            let counts = try store.campaignRunCounts(runID: run.id)
            #expect(counts.byState == ["accepted": 1, "failed": 1, "unknown": 1, "skipped": 1])
            #expect(counts.failedByCode == ["131050": 1])
            var exported: [OutboxExportRow] = []
            try store.exportOutbox(runID: run.id, batchSize: 3) { exported += $0 }
            #expect(exported.map(\.entry.phone) == rows.map(\.phone))
            #expect(exported[1].errorDetails == "opted out")
            #expect(exported[1].entry.errorTitle == "User stopped marketing")
            let timing = try #require(try store.campaignRunTiming(id: run.id))
            #expect(timing.attempted == 3)
            #expect(timing.firstSendAt == Fixture.t0)
        }
    }

    @Test("interrupted sends become unknown, and are never claimed again")
    func interruptedBecomeUnknown() throws {
        try TemporaryStore.with { store in
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            try store.queueOutbox(runID: run.id, Self.recipients(10), at: Fixture.t0)
            let claimed = try store.claimOutbox(runID: run.id, limit: 4, now: Fixture.t0)
            try store.markOutboxAccepted(runID: run.id, phone: claimed[0].phone, wamid: "wamid.ok", at: Fixture.t0)
            // The process dies here: three rows stay `sending`.
            #expect(try store.resolveInterruptedSends(runID: run.id, at: Fixture.t1) == 3)
            #expect(try store.resolveInterruptedSends(runID: run.id, at: Fixture.t1) == 0)
            let rest = try store.claimOutbox(runID: run.id, limit: 100, now: Fixture.t1)
            #expect(rest.count == 6)
            #expect(Set(rest.map(\.phone)).isDisjoint(with: claimed.map(\.phone)))
            #expect(try store.campaignRunCounts(runID: run.id).byState == ["accepted": 1, "unknown": 3, "sending": 6])
        }
    }

    // MARK: statuses from the ledger

    @Test("statuses by wamid move the outbox forward only")
    func statusesForwardOnly() throws {
        try TemporaryStore.with { store in
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            let phone = "+6281100000001"
            try store.queueOutbox(runID: run.id, [OutboxRecipient(phone: phone)], at: Fixture.t0)
            _ = try store.claimOutbox(runID: run.id, limit: 1, now: Fixture.t0)
            try store.markOutboxAccepted(runID: run.id, phone: phone, wamid: "wamid.1", at: Fixture.t0)
            _ = try store.applyMessageStatus(Self.status("wamid.1", "delivered", at: 10), eventID: 1)
            #expect(try store.outboxEntry(runID: run.id, phone: phone)?.state == .delivered)
            _ = try store.applyMessageStatus(Self.status("wamid.1", "sent", at: 5), eventID: 2)
            #expect(try store.outboxEntry(runID: run.id, phone: phone)?.state == .delivered, "a late sent does not move it back")
            _ = try store.processBatch { batch in
                try batch.applyMessageStatus(Self.status("wamid.1", "played", at: 30), eventID: 3)
            }
            #expect(try store.outboxEntry(runID: run.id, phone: phone)?.state == .read, "played counts as read, via EventBatch too")
            _ = try store.applyMessageStatus(Self.status("wamid.1", "failed", at: 40, code: 131_049), eventID: 4)
            let entry = try store.outboxEntry(runID: run.id, phone: phone)
            #expect(entry?.state == .read, "a failure after read keeps read")
            #expect(entry?.errorCode == 131_049, "and records the error")
        }
    }

    @Test("a failure by webhook is recorded with its code; 131050 opts the contact out")
    func failedByWebhook() throws {
        try TemporaryStore.with { store in
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            let rows = Self.recipients(2)
            try store.queueOutbox(runID: run.id, rows, at: Fixture.t0)
            _ = try store.claimOutbox(runID: run.id, limit: 2, now: Fixture.t0)
            try store.markOutboxAccepted(runID: run.id, phone: rows[0].phone, wamid: "wamid.a", at: Fixture.t0)
            try store.markOutboxAccepted(runID: run.id, phone: rows[1].phone, wamid: "wamid.b", at: Fixture.t0)
            _ = try store.applyMessageStatuses([(Self.status("wamid.a", "sent", at: 1), 1),
                                                (Self.status("wamid.a", "failed", at: 2, code: 131_026), 1),
                                                (Self.status("wamid.b", "failed", at: 2, code: 131_050), 2)])
            let counts = try store.campaignRunCounts(runID: run.id)
            #expect(counts.byState == ["failed": 2])
            #expect(counts.failedByCode == ["131026": 1, "131050": 1])
            #expect(try store.outboxEntry(runID: run.id, phone: rows[0].phone)?.errorTitle == "error 131026")
            #expect(try !store.isOptedOut(phone: rows[0].phone))
            #expect(try store.isOptedOut(phone: rows[1].phone))
        }
    }

    @Test("a status that arrives before the accepted mark is applied when the mark is written")
    func statusBeforeAccepted() throws {
        try TemporaryStore.with { store in
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            let phone = "+6281100000001"
            try store.queueOutbox(runID: run.id, [OutboxRecipient(phone: phone)], at: Fixture.t0)
            _ = try store.claimOutbox(runID: run.id, limit: 1, now: Fixture.t0)
            // The webhook is processed while the send's HTTP answer is still being handled.
            _ = try store.applyMessageStatus(Self.status("wamid.early", "delivered", at: 3), eventID: 1)
            #expect(try store.outboxEntry(runID: run.id, phone: phone)?.state == .sending)
            try store.markOutboxAccepted(runID: run.id, phone: phone, wamid: "wamid.early", at: Fixture.t0)
            let entry = try store.outboxEntry(runID: run.id, phone: phone)
            #expect(entry?.state == .delivered)
            #expect(entry?.wamid == "wamid.early")
            #expect(try store.message(wamid: "wamid.early")?.status == "delivered", "the ledger keeps its status")
            #expect(try store.message(wamid: "wamid.early")?.callbackData == "run:\(run.id)")

            // Also for a failure with 131050 that came first.
            let other = "+6281100000002"
            try store.queueOutbox(runID: run.id, [OutboxRecipient(phone: other)], at: Fixture.t0)
            _ = try store.claimOutbox(runID: run.id, limit: 1, now: Fixture.t0)
            _ = try store.applyMessageStatus(Self.status("wamid.stop", "failed", at: 3, code: 131_050), eventID: 2)
            try store.markOutboxAccepted(runID: run.id, phone: other, wamid: "wamid.stop", at: Fixture.t0)
            #expect(try store.outboxEntry(runID: run.id, phone: other)?.state == .failed)
            #expect(try store.outboxEntry(runID: run.id, phone: other)?.errorCode == 131_050)
            #expect(try store.isOptedOut(phone: other))
        }
    }

    @Test("after a crash, a row the ledger knows (callback data and recipient) takes its status instead of unknown")
    func interruptedRecoveredFromLedger() throws {
        try TemporaryStore.with { store in
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            let rows = Self.recipients(3)
            try store.queueOutbox(runID: run.id, rows, at: Fixture.t0)
            _ = try store.claimOutbox(runID: run.id, limit: 3, now: Fixture.t0)
            let digits = { (phone: String) in String(phone.dropFirst()) }
            // Statuses for rows[0] arrived before the crash; for rows[1] only after the restart.
            _ = try store.applyMessageStatus(Self.status("wamid.0", "sent", at: 1, callback: "run:\(run.id)", recipient: digits(rows[0].phone)),
                                             eventID: 1)
            #expect(try store.resolveInterruptedSends(runID: run.id, at: Fixture.t1) == 2)
            #expect(try store.outboxEntry(runID: run.id, phone: rows[0].phone)?.state == .sent)
            #expect(try store.outboxEntry(runID: run.id, phone: rows[0].phone)?.wamid == "wamid.0")
            #expect(try store.outboxEntry(runID: run.id, phone: rows[1].phone)?.state == .unknown)
            _ = try store.applyMessageStatus(Self.status("wamid.1", "delivered", at: 5, callback: "run:\(run.id)",
                                                         recipient: digits(rows[1].phone)), eventID: 2)
            #expect(try store.outboxEntry(runID: run.id, phone: rows[1].phone)?.state == .delivered)
            #expect(try store.outboxEntry(runID: run.id, phone: rows[1].phone)?.wamid == "wamid.1")
            // Another run's callback data never touches this run.
            _ = try store.applyMessageStatus(Self.status("wamid.2", "sent", at: 5, callback: "run:999", recipient: digits(rows[2].phone)),
                                             eventID: 3)
            #expect(try store.outboxEntry(runID: run.id, phone: rows[2].phone)?.state == .unknown)
        }
    }

    @Test("a run completes only when nothing is queued or being sent")
    func completion() throws {
        try TemporaryStore.with { store in
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            try store.startCampaignRun(id: run.id, at: Fixture.t0)
            try store.queueOutbox(runID: run.id, Self.recipients(2), at: Fixture.t0)
            #expect(try !store.completeCampaignRun(id: run.id, at: Fixture.t0), "not all queued yet")
            try store.finishQueueing(runID: run.id, at: Fixture.t0)
            let claimed = try store.claimOutbox(runID: run.id, limit: 1, now: Fixture.t0)
            #expect(try !store.completeCampaignRun(id: run.id, at: Fixture.t0))
            try store.markOutboxAccepted(runID: run.id, phone: claimed[0].phone, wamid: "w1", at: Fixture.t0)
            let last = try store.claimOutbox(runID: run.id, limit: 1, now: Fixture.t0)
            try store.markOutboxAccepted(runID: run.id, phone: last[0].phone, wamid: "w2", at: Fixture.t1)
            #expect(try store.completeCampaignRun(id: run.id, at: Fixture.t1))
            let record = try store.campaignRun(id: run.id)
            #expect(record?.status == .completed)
            #expect(record?.startedAt == Fixture.t0 && record?.finishedAt == Fixture.t1)
        }
    }
}

@Suite("Migrating to the campaign tables")
struct CampaignMigrationTests {
    @Test("a file an older bizone left at v3 gains the campaign tables and keeps its ledger")
    func v4OnV3File() throws {
        try TemporaryStore.withPath { path in
            do {
                let old = try StateStore(path: path, migratingUpTo: "v3-events")
                // As v3 code wrote it (this version's ledger also writes the outbox, which v3 lacks).
                try old.write { db in
                    try db.execute(sql: """
                        INSERT INTO messages (wamid, status, status_rank, created_at, updated_at)
                        VALUES ('wamid.old', 'sent', 1, '2025-06-15T15:06:40Z', '2025-06-15T15:06:40Z')
                        """)
                }
                #expect(throws: StoreError.self) { try old.campaignRuns() }
            }
            let store = try StateStore(path: path)
            #expect(try store.appliedMigrations().contains("v4-campaigns"))
            #expect(try store.message(wamid: "wamid.old")?.status == "sent")
            let run = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run
            #expect(try store.queueOutbox(runID: run.id, OutboxTests.recipients(2), at: Fixture.t0) == 2)
        }
    }
}
