import BizOneModel
import BizOneStore
import Foundation
import Logging

/// Fires scheduled campaign runs inside `bizone serve` (issue 6 §2, §4). Every `interval`:
///
/// 1. For each applied campaign with a schedule, the occurrences due since the campaign's
///    cursor (`ScheduleEvaluator.dueRuns`; the first time, since the campaign was applied)
///    become runs, in one transaction with the cursor move. An occurrence more than
///    `expireAfter` late is recorded `expired` and never sent; when several occurrences fell
///    due at once (downtime), only the latest one runs and the earlier ones are recorded
///    `expired` as superseded, so nobody gets the same campaign twice in a row.
/// 2. Unfinished runs are brought in line with their campaign: a never-started run past its
///    `expireAfter` expires; `suspend: true` pauses and `suspend: false` resumes; outside the
///    schedule's send window scheduled runs pause, inside it they resume.
/// 3. Runs that may send are handed to the `CampaignDispatcher`, all at once: runs on one phone
///    number share its pacer and its sender lease, so together they keep to the number's rate
///    (and wait while another process sends for it). Runs left `running` by a previous process
///    are picked up the same way (crash safety is the dispatcher's: interrupted rows become
///    `unknown`).
///
/// Template webhooks pause the runs of the campaigns using a template that Meta paused or
/// disabled (the `EventProcessor` hook); the dispatcher sees that at its next batch.
///
/// `run()` has the shape of a swift-service-lifecycle `Service` and returns when cancelled,
/// after its dispatches have recorded their in-flight sends.
public actor CampaignScheduler {
    public struct Configuration: Sendable {
        public var interval: Duration

        public init(interval: Duration = .seconds(1)) {
            self.interval = interval
        }
    }

    /// What one tick did, by run id.
    public struct Tick: Sendable, Hashable {
        public var created: [Int64] = []
        public var expired: [Int64] = []
        public var paused: [Int64] = []
        public var resumed: [Int64] = []
        public var started: [Int64] = []

        public init() {}
    }

    public let store: StateStore
    public let dispatcher: CampaignDispatcher
    public let configuration: Configuration
    let evaluator: ScheduleEvaluator
    let logger: Logger
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let onOutcome: (@Sendable (Int64, CampaignRunOutcome) -> Void)?
    private var active: [Int64: Task<Void, Never>] = [:]

    /// - Parameters:
    ///   - now: wall-clock time for due times and windows (use the dispatcher's).
    ///   - onOutcome: told where each dispatch left its run.
    public init(store: StateStore, dispatcher: CampaignDispatcher, configuration: Configuration = Configuration(),
                evaluator: ScheduleEvaluator = ScheduleEvaluator(), logger: Logger = Logger(label: "bizone.scheduler"),
                now: @escaping @Sendable () -> Date = Date.init,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                onOutcome: (@Sendable (Int64, CampaignRunOutcome) -> Void)? = nil) {
        self.store = store
        self.dispatcher = dispatcher
        self.configuration = configuration
        self.evaluator = evaluator
        self.logger = logger
        self.now = now
        self.sleep = sleep
        self.onOutcome = onOutcome
    }

    /// Ticks every `interval` until cancelled, then stops the dispatches and waits for them.
    public func run() async {
        logger.info("campaign scheduler started", metadata: ["interval": "\(configuration.interval)"])
        while !Task.isCancelled {
            do {
                _ = try tick()
            } catch {
                logger.error("campaign scheduling failed; will retry", metadata: ["error": "\(error)"])
            }
            do {
                try await sleep(configuration.interval)
            } catch {
                break
            }
        }
        for task in active.values { task.cancel() }
        await waitForDispatches()
        logger.info("campaign scheduler stopped")
    }

    /// Runs being dispatched now.
    public var activeRuns: [Int64] { active.keys.sorted() }

    /// Waits until every dispatch started so far has returned.
    public func waitForDispatches() async {
        while let (_, task) = active.first {
            await task.value
        }
    }

    /// One pass: occurrences, run states, dispatches.
    @discardableResult
    public func tick() throws -> Tick {
        var tick = Tick()
        let current = now()
        let state = try loadState()
        try recordOccurrences(state, current, &tick)
        try dispatch(try align(state, current, &tick), &tick)
        return tick
    }

    // MARK: - State

    struct CampaignEntry {
        var spec: CampaignSpec
        var appliedAt: Date
    }

    struct State {
        var campaigns: [String: CampaignEntry] = [:]
        var schedules: [String: ScheduleSpec] = [:]
    }

    func loadState() throws -> State {
        var state = State()
        for record in try store.appliedResources() {
            guard let spec = record.content["spec"] else { continue }
            switch record.kind {
            case .campaign:
                do {
                    state.campaigns[record.id.name] = CampaignEntry(spec: try spec.decode(CampaignSpec.self), appliedAt: record.appliedAt)
                } catch {
                    logger.warning("campaign unreadable in state; not scheduled", metadata: ["campaign": "\(record.id.name)",
                                                                                         "error": "\(error)"])
                }
            case .schedule:
                if let schedule = try? spec.decode(ScheduleSpec.self) { state.schedules[record.id.name] = schedule }
            default:
                break
            }
        }
        return state
    }

    // MARK: - Occurrences

    func recordOccurrences(_ state: State, _ current: Date, _ tick: inout Tick) throws {
        for (name, entry) in state.campaigns.sorted(by: { $0.key < $1.key }) {
            guard let scheduleName = entry.spec.schedule, let schedule = state.schedules[scheduleName] else { continue }
            let cursor = try store.campaignCursor(name)
            let due = evaluator.dueRuns(schedule, since: cursor ?? entry.appliedAt, until: current)
            guard !due.isEmpty else {
                if cursor == nil { try store.recordScheduledOccurrences(campaign: name, [], cursor: current, at: current) }
                continue
            }
            var occurrences = due.map { date -> ScheduledOccurrence in
                guard evaluator.isExpired(dueAt: date, now: current, spec: schedule) else {
                    return ScheduledOccurrence(scheduledFor: date, expired: false)
                }
                return ScheduledOccurrence(scheduledFor: date, expired: true, reason: Self.expiredReason(schedule, date))
            }
            if let latest = occurrences.lastIndex(where: { !$0.expired }) {
                for index in occurrences.indices where index < latest && !occurrences[index].expired {
                    occurrences[index].expired = true
                    occurrences[index].reason = "superseded by the occurrence at \(Timestamps.format(occurrences[latest].scheduledFor))"
                }
            }
            for run in try store.recordScheduledOccurrences(campaign: name, occurrences, cursor: current, at: current) {
                if run.status == .expired {
                    tick.expired.append(run.id)
                    logger.notice("campaign occurrence expired; not sent", metadata: [
                        "campaign": "\(name)", "run": "\(run.id)", "due": "\(run.scheduledFor.map(Timestamps.format) ?? "")",
                        "reason": "\(run.pauseReason ?? "")",
                    ])
                } else {
                    tick.created.append(run.id)
                    logger.info("campaign run due", metadata: [
                        "campaign": "\(name)", "run": "\(run.id)", "due": "\(run.scheduledFor.map(Timestamps.format) ?? "")",
                    ])
                }
            }
        }
    }

    static func expiredReason(_ schedule: ScheduleSpec, _ due: Date) -> String {
        "not started within expireAfter (\(schedule.expireAfter ?? "")) of its due time \(Timestamps.format(due))"
    }

    // MARK: - Run states

    /// Expires, pauses and resumes runs by their campaign; returns the runs that may send now
    /// (oldest first).
    func align(_ state: State, _ current: Date, _ tick: inout Tick) throws -> [Int64] {
        var ready: [Int64] = []
        for run in try store.campaignRuns(statuses: [.queued, .running, .paused]) {
            guard let entry = state.campaigns[run.campaign] else {
                if run.status != .paused,
                   try store.pauseCampaignRun(id: run.id, reason: "campaign \(run.campaign) is no longer in state",
                                              source: .configuration, at: current) {
                    tick.paused.append(run.id)
                }
                continue
            }
            let spec = entry.spec
            let schedule = spec.schedule.flatMap { state.schedules[$0] }
            if run.startedAt == nil, run.status != .running, let due = run.scheduledFor, let schedule,
               evaluator.isExpired(dueAt: due, now: current, spec: schedule) {
                if try store.expireCampaignRun(id: run.id, reason: Self.expiredReason(schedule, due), at: current) {
                    tick.expired.append(run.id)
                    logger.notice("campaign run expired before it could start; not sent", metadata: [
                        "campaign": "\(run.campaign)", "run": "\(run.id)", "due": "\(Timestamps.format(due))",
                    ])
                }
                continue
            }
            let windowSchedule = run.trigger == .schedule ? schedule : nil
            let open = windowSchedule.map { evaluator.windowState($0, at: current).open } ?? true
            var status = run.status
            if status == .paused {
                let source = try store.campaignRunControl(id: run.id)?.pauseSource
                let lift: CampaignPauseSource? = switch source {
                case .window where open: .window
                case .suspend where !spec.suspend: .suspend
                default: nil
                }
                guard let lift, try store.resumeCampaignRun(id: run.id, onlyPausedBy: [lift], at: current) else { continue }
                tick.resumed.append(run.id)
                logger.info("campaign run resumed", metadata: ["campaign": "\(run.campaign)", "run": "\(run.id)",
                                                               "was": "\(lift.rawValue)"])
                status = try store.campaignRunControl(id: run.id)?.status ?? status
            }
            guard status == .queued || status == .running else { continue }
            if spec.suspend {
                if try store.pauseCampaignRun(id: run.id, reason: "campaign is suspended (suspend: true)", source: .suspend, at: current) {
                    tick.paused.append(run.id)
                }
                continue
            }
            if !open, let window = windowSchedule?.window {
                let reason = "outside the send window \(window.start)-\(window.end) (\(windowSchedule?.timezone ?? "UTC"))"
                if try store.pauseCampaignRun(id: run.id, reason: reason, source: .window, at: current) {
                    tick.paused.append(run.id)
                    logger.info("campaign run paused outside its send window", metadata: ["campaign": "\(run.campaign)",
                                                                                        "run": "\(run.id)"])
                }
                continue
            }
            ready.append(run.id)
        }
        return ready
    }

    // MARK: - Dispatch

    func dispatch(_ ready: [Int64], _ tick: inout Tick) throws {
        for runID in ready where active[runID] == nil {
            tick.started.append(runID)
            let dispatcher = self.dispatcher
            let logger = self.logger
            let onOutcome = self.onOutcome
            let task = Task {
                do {
                    let outcome = try await dispatcher.run(runID: runID)
                    switch outcome {
                    case .busy(let holder):
                        logger.debug("campaign run is being sent by another process", metadata: ["run": "\(runID)", "holder": "\(holder)"])
                    default:
                        logger.info("campaign dispatch ended", metadata: ["run": "\(runID)", "outcome": "\(outcome)"])
                    }
                    onOutcome?(runID, outcome)
                } catch {
                    logger.error("campaign dispatch failed; will retry", metadata: ["run": "\(runID)", "error": "\(error)"])
                }
                self.finished(runID)
            }
            active[runID] = task
        }
    }

    private func finished(_ runID: Int64) {
        active[runID] = nil
    }
}
