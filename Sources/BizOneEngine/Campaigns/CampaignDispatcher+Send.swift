import BizOneModel
import BizOneStore
import Foundation
import Logging
import MetaGraph
import Synchronization

extension CampaignDispatcher {
    /// Meta's per-user failures (reference §17-§18): never retried within the run.
    /// 131049: per-user marketing cap; 131026: undeliverable; 131050: the user stopped
    /// marketing messages (also opts the contact out).
    public static let perUserFailureCodes: Set<Int> = [131_049, 131_026, 131_050]
    public static let optOutCode = 131_050

    /// Errors about the campaign or the account rather than the recipient: every further send
    /// would fail the same way, so the run pauses at once and the recipient is queued again.
    public static let campaignStopCodes: [Int: String] = [
        0: "cannot authenticate", 3: "missing capability", 10: "permission denied", 33: "business phone number deleted",
        104: "access token missing", 190: "access token expired or invalid", 368: "temporarily blocked for policy violations",
        131_031: "business account locked", 131_037: "display name needs approval", 131_042: "payment problem",
        131_048: "spam rate limit", 132_000: "parameter count mismatch", 132_001: "template missing or not approved",
        132_012: "parameter format mismatch", 132_015: "template paused", 132_016: "template disabled",
        132_018: "invalid template parameters", 133_010: "phone number not registered",
    ]
    static let templateStopCodes: Set<Int> = [132_001, 132_015, 132_016]

    static func campaignStopReason(_ code: Int) -> String? {
        if let reason = campaignStopCodes[code] { return reason }
        return (200..<300).contains(code) ? "API permission missing" : nil
    }

    /// Shared by one batch's send tasks: once set, sends not yet made are released.
    final class StopFlag: Sendable {
        private let stop = Mutex<Stop?>(nil)

        func set(_ value: Stop) { stop.withLock { if $0 == nil { $0 = value } } }
        var value: Stop? { stop.withLock { $0 } }
    }

    /// One send task's answer.
    struct Sent: Sendable {
        var result: OutboxResult
        var outcome: CampaignSendEvent.Outcome?
        var errorCode: Int?
        var stop: Stop?
    }

    /// What this dispatcher has done on the run since it started (`run` call).
    struct Session {
        var startedAt: Double
        var requests = 0
        var done: Int
        var total: Int
        var baselineAttempted: Int
        var baselineFailed: Int
        var attempted = 0
        var failed = 0
        var refreshedAt: Double
        var leaseRenewAt: Date

        mutating func record(_ sent: Sent) {
            switch sent.result {
            case .accepted, .unknown:
                requests += 1
                attempted += 1
                done += 1
            case .failed:
                if sent.outcome != nil { requests += 1 }
                attempted += 1
                failed += 1
                done += 1
            case .retry:
                requests += 1
            case .skipped:
                done += 1
            case .released:
                break
            }
        }
    }


    // MARK: - The send loop

    func sendAll(_ context: RunContext, progress: (@Sendable (CampaignProgress) -> Void)?) async throws -> CampaignRunOutcome {
        let runID = context.run.id
        // The campaign's own bucket, when it is slower than the number (the number's pacer
        // holds the rest).
        let ownPace = context.rate > 0 && (context.pacer == nil || context.rate < context.pacer?.bucket.rate ?? 0)
        let bucket = ownPace ? TokenBucket(rate: context.rate, clock: clock) : nil
        let batchSize = context.rate > 0
            ? min(configuration.maxBatch, max(1, Int((context.rate * configuration.batchSeconds).rounded(.up))))
            : configuration.maxBatch
        let counts = try store.campaignRunCounts(runID: runID)
        let attempted = counts.attempted
        let total = try store.campaignRun(id: runID)?.recipients ?? counts.total
        var session = Session(
            startedAt: clock.now(), done: counts.total - counts.byState["queued", default: 0] - counts.byState["sending", default: 0],
            total: total, baselineAttempted: attempted, baselineFailed: counts.byState["failed", default: 0],
            refreshedAt: clock.now(), leaseRenewAt: now().addingTimeInterval(configuration.leaseSeconds / 2))
        report(context, session, progress)

        while true {
            if Task.isCancelled { return .stopped }
            if let outcome = try await checkControl(context, &session) { return outcome }
            let batch = try store.claimOutbox(runID: runID, limit: batchSize, now: now())
            if batch.isEmpty {
                let pending = try store.pendingOutbox(runID: runID)
                if pending.queued == 0 {
                    if pending.sending > 0 {
                        // Claimed by this dispatcher but their results could not be written: maybe sent.
                        _ = try store.resolveInterruptedSends(runID: runID, at: now())
                        continue
                    }
                    if try store.completeCampaignRun(id: runID, at: now()) {
                        session.done = session.total
                        report(context, session, progress)
                        let final = try store.campaignRunCounts(runID: runID)
                        logger.info("campaign run completed", metadata: [
                            "run": "\(runID)", "campaign": "\(context.run.campaign)",
                            "states": "\(final.byState.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))",
                        ])
                        return .completed
                    }
                    return try currentOutcome(runID) ?? .paused(reason: "could not complete")
                }
                let due = pending.nextAttemptAt ?? now()
                do {
                    try await clock.sleep(min(configuration.idleStep, max(0, due.timeIntervalSince(now()))))
                } catch {
                    return .stopped
                }
                continue
            }
            let flag = StopFlag()
            try await sendBatch(batch, context, bucket: bucket, flag: flag, session: &session)
            report(context, session, progress)
            if let stop = flag.value {
                return try pause(runID, stop)
            }
        }
    }

    /// Sends one claimed batch, `concurrency` at a time, writing results every `resultFlush`.
    func sendBatch(_ batch: [OutboxEntry], _ context: RunContext, bucket: TokenBucket?, flag: StopFlag,
                   session: inout Session) async throws {
        let runID = context.run.id
        var pending: [OutboxResult] = []
        var next = batch.makeIterator()
        try await withThrowingTaskGroup(of: Sent.self) { group in
            var started = 0
            while started < configuration.concurrency, let entry = next.next() {
                group.addTask { await self.sendOne(entry, context, bucket: bucket, flag: flag) }
                started += 1
            }
            while let sent = try await group.next() {
                pending.append(sent.result)
                session.record(sent)
                if let outcome = sent.outcome {
                    onSend?(CampaignSendEvent(campaign: context.run.campaign, runID: runID, outcome: outcome, errorCode: sent.errorCode))
                }
                if let stop = sent.stop { flag.set(stop) }
                if let stop = failureRateStop(session, context) { flag.set(stop) }
                if pending.count >= configuration.resultFlush {
                    try store.recordOutboxResults(runID: runID, pending, at: now())
                    pending.removeAll(keepingCapacity: true)
                }
                if let entry = next.next() {
                    group.addTask { await self.sendOne(entry, context, bucket: bucket, flag: flag) }
                }
            }
        }
        try store.recordOutboxResults(runID: runID, pending, at: now())
    }

    /// One recipient: parameters, pacing, the request, and what its answer means. Never throws.
    func sendOne(_ entry: OutboxEntry, _ context: RunContext, bucket: TokenBucket?, flag: StopFlag) async -> Sent {
        let phone = entry.phone
        if flag.value != nil || Task.isCancelled { return Sent(result: .released(phone: phone)) }
        let values: [String: String]
        switch context.parameters.resolve(phone: phone, name: entry.name, attributes: entry.attributes) {
        case .failure(let missing): return Sent(result: .skipped(phone: phone, reason: missing.reason))
        case .success(let resolved): values = resolved
        }
        let request = TemplateMapping.sendRequest(to: phone, name: context.spec.template.name, spec: context.template,
                                                  values: values, callbackData: context.callbackData)
        do {
            // The recipient's pair limit and the number's rate (shared with every run of this
            // process on the number), then the campaign's own rate.
            if let pacer = context.pacer {
                try await pacer.pairs.acquire(for: phone)
                try await bucket?.acquire()
                try await pacer.bucket.acquire()
            } else {
                try await pairLimiter.acquire(for: phone)
                try await bucket?.acquire()
            }
        } catch {
            return Sent(result: .released(phone: phone))
        }
        if flag.value != nil || Task.isCancelled { return Sent(result: .released(phone: phone)) }
        // Not a child task: cancelling the run (shutdown) lets a request that is on its way
        // finish, so its outcome is recorded instead of becoming unknown.
        let client = context.client
        let answer = await Task { () -> Result<SendMessageResponse, any Error> in
            do {
                return .success(try await client.send(request))
            } catch {
                return .failure(error)
            }
        }.value
        return classify(answer, entry, context)
    }

    func classify(_ answer: Result<SendMessageResponse, any Error>, _ entry: OutboxEntry, _ context: RunContext) -> Sent {
        let phone = entry.phone
        switch answer {
        case .success(let response):
            guard let wamid = response.messageID, !wamid.isEmpty else {
                return Sent(result: .unknown(phone: phone, code: nil, title: "Meta answered without a message id"), outcome: .unknown)
            }
            let waID = response.contacts.first?.waID
            return Sent(result: .accepted(phone: phone, wamid: wamid, recipientID: waID?.isEmpty == false ? waID : nil),
                        outcome: .accepted)
        case .failure(let error):
            guard let graph = error as? GraphError else {
                return Sent(result: .failed(phone: phone, code: nil, title: "\(error)", details: nil, optOut: false), outcome: .failed)
            }
            let title = Self.title(of: graph)
            func failed() -> Sent {
                let code = graph.code
                return Sent(result: .failed(phone: phone, code: code, title: title, details: graph.details,
                                            optOut: code == Self.optOutCode),
                            outcome: .failed, errorCode: code)
            }
            if graph.outcomeUnknown {
                return Sent(result: .unknown(phone: phone, code: graph.code, title: title), outcome: .unknown, errorCode: graph.code)
            }
            if graph.kind == .graph, let code = graph.code {
                if Self.perUserFailureCodes.contains(code) { return failed() }
                if let why = Self.campaignStopReason(code) {
                    let source: CampaignPauseSource = Self.templateStopCodes.contains(code) ? .template : .configuration
                    return Sent(result: .retry(phone: phone, at: now(), code: code, title: title), outcome: .retry, errorCode: code,
                                stop: Stop(reason: "Meta refused the send with \(code) (\(why)): \(title)", source: source))
                }
            }
            let allowed: Int
            switch graph.retryability {
            case .terminal: return failed()
            case .retryLimited(let maxRetries): allowed = min(context.maxAttempts, maxRetries + 1)
            case .retryable: allowed = context.maxAttempts
            }
            guard entry.attempts < allowed else { return failed() }
            let exponent = Double(max(0, entry.attempts - 1))
            var delay = context.backoff * pow(2, min(exponent, 30))
            if graph.code == GraphError.pairRateLimitCode { delay = max(delay, pow(4, min(exponent, 10))) }
            if let after = graph.retryAfter { delay = max(delay, after) }
            // A month at most: a large YAML backoff doubled per attempt must not reach dates
            // the state cannot hold.
            delay = min(delay, 30 * 86_400)
            return Sent(result: .retry(phone: phone, at: now().addingTimeInterval(delay), code: graph.code, title: title),
                        outcome: .retry, errorCode: graph.code)
        }
    }

    /// Meta's title without the `(#code) ` prefix; the error's one-line description otherwise.
    static func title(of error: GraphError) -> String {
        guard error.kind == .graph else { return error.description }
        if let title = error.userTitle, !title.isEmpty { return title }
        var message = error.message
        if message.hasPrefix("(#"), let close = message.range(of: ") ") { message = String(message[close.upperBound...]) }
        return message
    }

    func failureRateStop(_ session: Session, _ context: RunContext) -> Stop? {
        guard session.attempted >= configuration.minimumAttemptsForFailureRate, session.attempted > 0 else { return nil }
        let rate = Double(session.failed) / Double(session.attempted)
        guard rate > context.maxFailureRate else { return nil }
        let percent = String(format: "%.1f", rate * 100)
        let limit = String(format: "%.1f", context.maxFailureRate * 100)
        return Stop(reason: "failure rate \(percent)% (\(session.failed) of \(session.attempted) sends) passed the limit of \(limit)%",
                    source: .failureRate)
    }

    // MARK: - Control

    /// Between batches: the lease, the run's status in the store, the template, `suspend`,
    /// and (every `countsRefresh` seconds) failures reported by status webhooks.
    func checkControl(_ context: RunContext, _ session: inout Session) async throws -> CampaignRunOutcome? {
        let runID = context.run.id
        if now() >= session.leaseRenewAt {
            if let busy = try takeLease(runID) { return busy }
            session.leaseRenewAt = now().addingTimeInterval(configuration.leaseSeconds / 2)
        }
        if let other = try await senders.renewIfDue(context.phoneNumber) {
            logger.warning("campaign run stopped: another process sends for its phone number now",
                           metadata: ["run": "\(runID)", "holder": "\(other)"])
            return .busy(holder: other)
        }
        guard let control = try store.campaignRunControl(id: runID) else { return .cancelled }
        if let outcome = Self.finalOutcome(status: control.status, reason: control.pauseReason) { return outcome }
        if let reason = CampaignTemplateGuard.blockReason(template: context.templateID, record: try store.templateRecord(context.templateID)) {
            return try pause(runID, Stop(reason: reason, source: .template))
        }
        guard let record = try store.appliedResource(context.campaignID),
              let spec = try? Self.spec(record, as: CampaignSpec.self) else {
            return try pause(runID, Stop(reason: "campaign \(context.run.campaign) is no longer in state", source: .configuration))
        }
        if spec.suspend { return try pause(runID, Stop(reason: "campaign is suspended (suspend: true)", source: .suspend)) }
        if clock.now() - session.refreshedAt >= configuration.countsRefresh {
            let counts = try store.campaignRunCounts(runID: runID)
            session.attempted = max(0, counts.attempted - session.baselineAttempted)
            session.failed = max(0, counts.byState["failed", default: 0] - session.baselineFailed)
            session.done = counts.total - counts.byState["queued", default: 0] - counts.byState["sending", default: 0]
            session.refreshedAt = clock.now()
            if let stop = failureRateStop(session, context) { return try pause(runID, stop) }
        }
        return nil
    }

    func pause(_ runID: Int64, _ stop: Stop) throws -> CampaignRunOutcome {
        if try store.pauseCampaignRun(id: runID, reason: stop.reason, source: stop.source, at: now()) {
            logger.notice("campaign run paused", metadata: ["run": "\(runID)", "reason": "\(stop.reason)"])
            return .paused(reason: stop.reason)
        }
        return try currentOutcome(runID) ?? .paused(reason: stop.reason)
    }

    func report(_ context: RunContext, _ session: Session, _ progress: (@Sendable (CampaignProgress) -> Void)?) {
        guard let progress else { return }
        let elapsed = clock.now() - session.startedAt
        progress(CampaignProgress(runID: context.run.id, campaign: context.run.campaign, done: session.done, total: session.total,
                                  rate: elapsed > 0 ? Double(session.requests) / elapsed : 0))
    }
}
