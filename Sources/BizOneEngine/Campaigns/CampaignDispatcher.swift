import BizOneModel
import BizOneStore
import Foundation
import Logging
import MetaGraph

/// Runs one campaign run to completion or to a pause (issue 6 §4): loads the campaign, its
/// template and audience from the applied state, refuses a template that is not APPROVED,
/// queues the audience into the outbox (streamed, idempotent), then sends batch by batch:
///
/// - a `TokenBucket` at the campaign's `throughput.messagesPerSecond` (default: the
///   integration's; at most 1,000), at most `concurrency` requests in flight, and the
///   `PairLimiter` per recipient;
/// - template parameters from `spec.parameters` (a recipient missing a value is `skipped`
///   with the reason, at queue time);
/// - `biz_opaque_callback_data` = `run:<id>`;
/// - retryable Meta errors: the row goes back to `queued` with `next_attempt_at` =
///   now + backoff × 2^(attempt − 1), up to `retry.maxAttempts`; terminal ones are `failed`
///   with Meta's code and title; 131049/131026/131050 are never retried (131050 also opts the
///   contact out); a request whose outcome is unknown (timeout after sending) is `unknown`;
/// - errors that concern the whole campaign (token, permissions, account, template paused or
///   missing, parameter mismatch) pause the run at once, the recipient queued again.
///
/// The Graph client must not retry sends itself, nor pace them (the engine does both, so
/// that retries are visible in the outbox): `MetaClients.senders`, built from the live clients
/// with `LiveGraphClient.forCallerPacedSends()`.
///
/// One pacer per phone number (issue 9 §3): before a run sends, this dispatcher joins the
/// number's sender (`NumberSenders`): the number's lease in the state, held by one process at a
/// time, and the number's `SendPacer` at the integration's rate, shared by every run of this
/// process and by its Graph client's own sends. While another process holds the lease the run
/// waits, saying so. Each send takes the run's own bucket (the campaign's rate) and the
/// number's pacer, so several campaigns on one number never exceed its rate together.
///
/// Stop conditions, checked between batches (a batch is about `batchSeconds` of sending, so a
/// pause takes effect well within a second): the run paused, cancelled or completed in the
/// store (CLI, scheduler, template webhook); the template no longer sendable; `suspend: true`;
/// the failure rate (failed / attempted, after `minimumAttemptsForFailureRate` attempts in
/// this session) above `stopConditions.maxFailureRate` (also checked after every result).
///
/// Crash safety: a row is claimed (`sending`) before its request goes out and its result is
/// written after; on start, rows left `sending` become `unknown` (never resent). A lease on the
/// run keeps a second dispatcher (another process) off it; a holder on this host whose process
/// is gone is taken over at once.
public final class CampaignDispatcher: Sendable {
    public struct Configuration: Sendable {
        /// Requests in flight at once.
        public var concurrency: Int
        /// Most rows claimed per batch.
        public var maxBatch: Int
        /// A batch is `rate × batchSeconds` rows (at least 1, at most `maxBatch`), so control
        /// checks happen at least this often while sending.
        public var batchSeconds: Double
        /// Results written per transaction while a batch is in flight.
        public var resultFlush: Int
        /// Recipients read from the audience and queued per transaction.
        public var queueBatch: Int
        /// Meta's ceiling for one phone number.
        public var maxRate: Double
        /// Benchmarks: send as fast as `concurrency` allows, no token bucket.
        public var unlimitedRate: Bool
        /// The failure-rate stop applies after this many attempts in a session.
        public var minimumAttemptsForFailureRate: Int
        /// Longest wait between control checks while only retries are pending.
        public var idleStep: Double
        /// How often the outbox counts are re-read (for failures reported by status webhooks).
        public var countsRefresh: Double
        /// Lease length; renewed at half of it.
        public var leaseSeconds: Double

        public init(concurrency: Int = 64, maxBatch: Int = 256, batchSeconds: Double = 0.25, resultFlush: Int = 32,
                    queueBatch: Int = 1_000, maxRate: Double = 1_000, unlimitedRate: Bool = false,
                    minimumAttemptsForFailureRate: Int = 20, idleStep: Double = 1, countsRefresh: Double = 5,
                    leaseSeconds: Double = 30) {
            self.concurrency = max(1, concurrency)
            self.maxBatch = max(1, maxBatch)
            self.batchSeconds = max(0.01, batchSeconds)
            self.resultFlush = max(1, resultFlush)
            self.queueBatch = max(1, queueBatch)
            self.maxRate = maxRate
            self.unlimitedRate = unlimitedRate
            self.minimumAttemptsForFailureRate = max(1, minimumAttemptsForFailureRate)
            self.idleStep = max(0.01, idleStep)
            self.countsRefresh = max(0, countsRefresh)
            self.leaseSeconds = max(1, leaseSeconds)
        }
    }

    public let store: StateStore
    public let meta: MetaClients
    public let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Date
    let clock: GraphClock
    let pairLimiter: PairLimiter
    let holder: String
    let onSend: (@Sendable (CampaignSendEvent) -> Void)?
    let senders: NumberSenders

    /// - Parameters:
    ///   - meta: Graph clients by integration; runs send through `meta.senders` (no retries, no
    ///     pacing) and pace with `meta.pacers`.
    ///   - now: wall-clock time for the store (due times, stamps).
    ///   - clock: pacing and waiting (token bucket, pair limiter, retry waits); tests pass a
    ///     virtual clock that moves `now` too.
    ///   - pairLimiter: for runs whose number has no pacer (unlimited benchmarks).
    ///   - onSend: told about every send request's outcome (metrics).
    public init(store: StateStore, meta: MetaClients, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "bizone.campaigns"), now: @escaping @Sendable () -> Date = Date.init,
                clock: GraphClock = .continuous, pairLimiter: PairLimiter? = nil,
                onSend: (@Sendable (CampaignSendEvent) -> Void)? = nil) {
        self.store = store
        self.meta = meta
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.clock = clock
        self.pairLimiter = pairLimiter ?? PairLimiter(clock: clock)
        let holder = Self.holderID()
        self.holder = holder
        self.onSend = onSend
        self.senders = NumberSenders(store: store, holder: holder, leaseSeconds: configuration.leaseSeconds, now: now, logger: logger)
    }

    // MARK: - Entry points

    /// Creates a manual run of `campaign` (for `bizone campaign run NAME --now`), leased to
    /// this dispatcher so that a running `serve` leaves it to the caller's `run(runID:)`.
    public func createManualRun(campaign: String) throws -> CampaignRunRecord {
        guard try store.appliedResource(ResourceID(kind: .campaign, name: campaign)) != nil else {
            throw CampaignError.noCampaign(campaign)
        }
        let current = now()
        return try store.createCampaignRun(campaign: campaign, trigger: .manual, scheduledFor: nil, at: current,
                                           lease: (holder, current.addingTimeInterval(configuration.leaseSeconds))).run
    }

    /// Runs `runID` until it completes, pauses, is cancelled or this task is cancelled. A
    /// paused, finished or expired run is returned as it is (resume it first).
    public func run(runID: Int64, progress: (@Sendable (CampaignProgress) -> Void)? = nil) async throws -> CampaignRunOutcome {
        guard let run = try store.campaignRun(id: runID) else { throw CampaignError.noRun(runID) }
        if let outcome = Self.finalOutcome(status: run.status, reason: run.pauseReason) { return outcome }

        if let busy = try takeLease(runID) { return busy }
        defer { try? store.releaseCampaignRunLease(id: runID, holder: holder) }

        let interrupted = try store.resolveInterruptedSends(runID: runID, at: now())
        if interrupted > 0 {
            logger.warning("campaign run resumed after an interruption; rows that were being sent are marked unknown, never resent",
                           metadata: ["run": "\(runID)", "campaign": "\(run.campaign)", "unknown": "\(interrupted)"])
        }

        var context: RunContext
        switch try loadContext(run) {
        case .failure(let stop):
            try store.pauseCampaignRun(id: runID, reason: stop.reason, source: stop.source, at: now())
            logger.notice("campaign run not started", metadata: ["run": "\(runID)", "campaign": "\(run.campaign)",
                                                                 "reason": "\(stop.reason)"])
            return try currentOutcome(runID) ?? .paused(reason: stop.reason)
        case .success(let loaded):
            context = loaded
        }
        let pacer: SendPacer?
        switch try await joinSender(context, progress: progress) {
        case .joined(let joined): pacer = joined
        case .stopped(let outcome): return outcome
        }
        context.pacer = pacer
        do {
            let outcome = try await sendJoined(context, progress: progress)
            await senders.leave(context.phoneNumber)
            return outcome
        } catch {
            await senders.leave(context.phoneNumber)
            throw error
        }
    }

    /// The part of `run` while this process sends for the run's phone number.
    private func sendJoined(_ context: RunContext, progress: (@Sendable (CampaignProgress) -> Void)?) async throws -> CampaignRunOutcome {
        let runID = context.run.id
        guard try store.startCampaignRun(id: runID, at: now()) else {
            return try currentOutcome(runID) ?? .paused(reason: "not runnable")
        }
        logger.info("campaign run sending", metadata: [
            "run": "\(runID)", "campaign": "\(context.run.campaign)", "template": "\(context.templateID)",
            "rate": "\(context.rate > 0 ? String(context.rate) : "unlimited")", "phone_number_id": "\(context.phoneNumber)",
        ])
        if try !store.campaignRunQueuedAll(id: runID) {
            if let stop = try queueRecipients(context) { return stop }
        }
        return try await sendAll(context, progress: progress)
    }

    enum Joined {
        case joined(SendPacer?)
        case stopped(CampaignRunOutcome)
    }

    /// Joins the sender of the run's phone number, waiting while another process holds its
    /// lease: the run keeps its own lease meanwhile, and a pause, cancel or shutdown ends the wait.
    func joinSender(_ context: RunContext, progress: (@Sendable (CampaignProgress) -> Void)?) async throws -> Joined {
        let runID = context.run.id
        let rate = context.numberRate
        let clock = self.clock
        let makePacer: @Sendable () -> SendPacer? = { rate > 0 ? SendPacer(rate: rate, clock: clock) : nil }
        var announced = false
        var replacing: String?
        while true {
            let preset = context.presetPacer
            switch try await senders.join(context.phoneNumber, replacing: replacing, makePacer: { preset ?? makePacer() }) {
            case .joined(let pacer):
                if announced { logger.notice("phone number free; the run starts", metadata: ["run": "\(runID)"]) }
                return .joined(pacer)
            case .held(let other, let until):
                if Self.holderIsGone(other) {
                    logger.notice("taking over the sender lease of a process that is gone",
                                  metadata: ["phone_number_id": "\(context.phoneNumber)", "previous": "\(other)"])
                    replacing = other
                    continue
                }
                if !announced {
                    announced = true
                    let waiting = "phone number \(context.phoneNumber) is being sent for by \(other) (lease until \(Timestamps.format(until)))"
                    logger.notice("campaign run waiting for its phone number", metadata: [
                        "run": "\(runID)", "phone_number_id": "\(context.phoneNumber)", "holder": "\(other)",
                    ])
                    progress?(CampaignProgress(runID: runID, campaign: context.run.campaign, done: 0,
                                               total: context.run.recipients, rate: 0, waiting: waiting))
                }
                if let busy = try takeLease(runID) { return .stopped(busy) }
                if let outcome = try currentOutcome(runID) { return .stopped(outcome) }
                do {
                    try await clock.sleep(configuration.idleStep)
                } catch {
                    return .stopped(.stopped)
                }
            }
        }
    }

    /// `paused`, `completed`, `cancelled` and `expired` as an outcome; nil for runnable statuses.
    static func finalOutcome(status: CampaignRunRecord.Status, reason: String?) -> CampaignRunOutcome? {
        switch status {
        case .queued, .running: return nil
        case .paused: return .paused(reason: reason ?? "paused")
        case .completed: return .completed
        case .cancelled: return .cancelled
        case .expired: return .expired
        }
    }

    func currentOutcome(_ runID: Int64) throws -> CampaignRunOutcome? {
        guard let control = try store.campaignRunControl(id: runID) else { return .cancelled }
        return Self.finalOutcome(status: control.status, reason: control.pauseReason)
    }

    // MARK: - Lease

    /// `host|pid|token`: unique per dispatcher, and enough to tell a dead holder on this host.
    static func holderID() -> String {
        "\(hostName)|\(ProcessInfo.processInfo.processIdentifier)|\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Looked up once: `ProcessInfo.hostName` can be slow.
    static let hostName = ProcessInfo.processInfo.hostName

    /// Nil when this dispatcher holds the lease; `.busy` when a live dispatcher does.
    func takeLease(_ runID: Int64) throws -> CampaignRunOutcome? {
        let current = now()
        let until = current.addingTimeInterval(configuration.leaseSeconds)
        switch try store.acquireCampaignRunLease(id: runID, holder: holder, until: until, now: current) {
        case .acquired:
            return nil
        case .noRun:
            throw CampaignError.noRun(runID)
        case .held(let other, _):
            guard Self.holderIsGone(other) else { return .busy(holder: other) }
            logger.notice("taking over the lease of a campaign run whose process is gone",
                          metadata: ["run": "\(runID)", "previous": "\(other)"])
            switch try store.acquireCampaignRunLease(id: runID, holder: holder, until: until, now: current, replacing: other) {
            case .acquired: return nil
            case .held(let again, _): return .busy(holder: again)
            case .noRun: throw CampaignError.noRun(runID)
            }
        }
    }

    /// A holder on this host whose process no longer exists.
    static func holderIsGone(_ holder: String) -> Bool {
        let parts = holder.split(separator: "|")
        guard parts.count == 3, parts[0] == hostName, let pid = Int32(parts[1]) else { return false }
        if pid == ProcessInfo.processInfo.processIdentifier { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    // MARK: - Context

    struct Stop: Error {
        var reason: String
        var source: CampaignPauseSource
    }

    /// Everything a run needs from the state, loaded once per `run`.
    struct RunContext: Sendable {
        var run: CampaignRunRecord
        var campaignID: ResourceID
        var spec: CampaignSpec
        var templateID: ResourceID
        var template: TemplateSpec
        var audience: AudienceSpec
        var parameters: CampaignParameters
        var client: any GraphClient
        var integration: String
        /// The sender lease's key: the integration's phone number id.
        var phoneNumber: String
        /// The number's rate (the integration's throughput); 0 means unlimited.
        var numberRate: Double
        /// The number's pacer from `MetaClients`, shared with the Graph client's own sends.
        var presetPacer: SendPacer?
        /// The pacer this run sends through, once it joined the number's sender.
        var pacer: SendPacer?
        /// The run's own rate (the campaign's); 0 means unlimited.
        var rate: Double
        var maxAttempts: Int
        var backoff: Double
        var maxFailureRate: Double
        var callbackData: String
    }

    func loadContext(_ run: CampaignRunRecord) throws -> Result<RunContext, Stop> {
        let campaignID = ResourceID(kind: .campaign, name: run.campaign)
        guard let record = try store.appliedResource(campaignID) else {
            return .failure(Stop(reason: "campaign \(run.campaign) is not in state", source: .configuration))
        }
        let spec: CampaignSpec
        do {
            spec = try Self.spec(record, as: CampaignSpec.self)
        } catch {
            return .failure(Stop(reason: "campaign \(run.campaign) cannot be read from state: \(error)", source: .configuration))
        }
        if spec.suspend {
            return .failure(Stop(reason: "campaign is suspended (suspend: true)", source: .suspend))
        }
        let templateID = CampaignTemplateGuard.templateID(of: spec)
        guard let templateRecord = try store.appliedResource(templateID),
              let template = try? Self.spec(templateRecord, as: TemplateSpec.self) else {
            return .failure(Stop(reason: "template \(templateID) is not in state", source: .configuration))
        }
        if let reason = CampaignTemplateGuard.blockReason(template: templateID, record: try store.templateRecord(templateID)) {
            return .failure(Stop(reason: reason, source: .template))
        }
        let audienceID = ResourceID(kind: .audience, name: spec.audience)
        guard let audienceRecord = try store.appliedResource(audienceID),
              let audience = try? Self.spec(audienceRecord, as: AudienceSpec.self) else {
            return .failure(Stop(reason: "audience \(spec.audience) is not in state", source: .configuration))
        }
        let missing = Set(TemplateMapping.sendParameterKeys(for: template)).subtracting(spec.parameters.keys).sorted()
        if !missing.isEmpty {
            return .failure(Stop(reason: "template parameter \(missing.joined(separator: ", ")) has no value in spec.parameters",
                                 source: .configuration))
        }
        guard let (integration, client) = meta.sender(for: spec.integration) else {
            let name = spec.integration ?? "the integration"
            let why = meta.unavailable[name] ?? meta.unavailable.values.sorted().first ?? "no Graph client"
            return .failure(Stop(reason: "cannot send through \(name): \(why)", source: .configuration))
        }
        let integrationSpec = try store.appliedIntegrations().chosen(integration)?.spec
        var rate = Double(spec.messagesPerSecond(integration: integrationSpec))
        var numberRate = Double(integrationSpec?.throughput.messagesPerSecond ?? Int(rate))
        if configuration.maxRate > 0 {
            rate = min(rate, configuration.maxRate)
            numberRate = min(numberRate, configuration.maxRate)
        }
        if configuration.unlimitedRate {
            rate = 0
            numberRate = 0
        }
        let backoff = DurationValue(parsing: spec.retry.backoff)?.seconds ?? 30
        return .success(RunContext(
            run: run, campaignID: campaignID, spec: spec, templateID: templateID, template: template, audience: audience,
            parameters: CampaignParameters(spec.parameters), client: client, integration: integration,
            phoneNumber: integrationSpec?.phoneNumberId ?? integration, numberRate: max(0, numberRate),
            presetPacer: configuration.unlimitedRate ? nil : meta.pacers[integration], rate: max(0, rate),
            maxAttempts: max(1, spec.retry.maxAttempts), backoff: max(0, backoff), maxFailureRate: spec.stopConditions.maxFailureRate,
            callbackData: "run:\(run.id)"))
    }

    static func spec<T: Decodable>(_ record: AppliedResourceRecord, as type: T.Type) throws -> T {
        guard let spec = record.content["spec"] else { throw CampaignError.noCampaign(record.id.description) }
        return try spec.decode(type)
    }

    // MARK: - Queueing

    struct QueueingStopped: Error {
        var outcome: CampaignRunOutcome
    }

    /// Streams the audience into the outbox (INSERT OR IGNORE: a restart re-queues nobody),
    /// skipping recipients with a missing parameter value. Checks for a pause or cancel after
    /// every batch. Nil when everything was queued.
    func queueRecipients(_ context: RunContext) throws -> CampaignRunOutcome? {
        let runID = context.run.id
        var queued = 0
        var renewAt = now().addingTimeInterval(configuration.leaseSeconds / 2)
        do {
            try store.audienceRecipients(context.spec.audience, spec: context.audience, now: now(), batch: configuration.queueBatch) { page in
                let rows = page.map { recipient -> OutboxRecipient in
                    var row = OutboxRecipient(phone: recipient.phone, name: recipient.name, attributes: recipient.attributes)
                    if case .failure(let missing) = context.parameters.resolve(phone: recipient.phone, name: recipient.name,
                                                                                 attributes: recipient.attributes) {
                        row.skipReason = missing.reason
                    }
                    return row
                }
                queued += try store.queueOutbox(runID: runID, rows, at: now())
                if let outcome = try currentOutcome(runID) { throw QueueingStopped(outcome: outcome) }
                if now() >= renewAt {
                    if let busy = try takeLease(runID) { throw QueueingStopped(outcome: busy) }
                    renewAt = now().addingTimeInterval(configuration.leaseSeconds / 2)
                }
                try Task.checkCancellation()
            }
        } catch let stopped as QueueingStopped {
            return stopped.outcome
        } catch is CancellationError {
            return .stopped
        }
        let total = try store.finishQueueing(runID: runID, at: now())
        logger.info("campaign recipients queued", metadata: ["run": "\(runID)", "new": "\(queued)", "recipients": "\(total)"])
        return nil
    }
}
