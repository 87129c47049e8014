import BizOneModel
import Foundation
import Logging
import MetaGraph

/// The emulated Meta: templates, messages, windows, limits and the request log, behind one
/// actor so every Graph call and control action is atomic. Webhooks leave through the
/// `WebhookDispatcher` queue in the order they are produced here.
actor EmulatorState {
    let configuration: EmulatorConfiguration
    let clock: EmulatorClock
    let logger: Logger
    let dispatcher: WebhookDispatcher
    let factory: WebhookFactory

    var rules: EmulatorRules
    var limits: EmulatorLimits
    var timing: EmulatorTiming
    var ids: IDFactory

    var templates: [String: TemplateRecord] = [:]
    var templateSequence = 0
    /// Names blocked after an APPROVED template was deleted, until the given time.
    var nameLocks: [String: Double] = [:]
    var creations = RollingCounter()

    var messages: [String: MessageRecord] = [:]
    /// Inbound message ids the business marked read (`status: read`), in order.
    var readReceipts: [String] = []
    var messageSequence = 0
    /// Last inbound message per user key (wa_id or BSUID): the 24-hour window.
    var windows: [String: Double] = [:]
    /// Synchronous refusals given per recipient, for recipient rules with `times`.
    var refusals: [String: Int] = [:]
    /// Open conversation per "user|category": id and expiry.
    var conversations: [String: (id: String, expires: Double)] = [:]
    var limiter: SendLimiter

    var requestLog: [RequestLogEntry] = []
    var stats = EmulatorStats()
    var scheduled: [Int: Task<Void, Never>] = [:]
    var nextTaskID = 0

    static let requestLogLimit = 10_000

    init(configuration: EmulatorConfiguration, dispatcher: WebhookDispatcher, logger: Logger) {
        self.configuration = configuration
        self.clock = configuration.clock
        self.logger = logger
        self.dispatcher = dispatcher
        self.rules = configuration.rules
        self.limits = configuration.limits
        self.timing = configuration.timing
        self.ids = IDFactory(seed: configuration.seed)
        self.limiter = SendLimiter(limits: configuration.limits)
        self.factory = WebhookFactory(businessAccountID: configuration.businessAccountID, phoneNumberID: configuration.phoneNumberID,
                                      displayDigits: configuration.displayPhoneNumber.filter(\.isNumber))
    }

    var now: Double { clock.seconds }

    // MARK: - Ids, logging

    func nextTraceID() -> String { ids.traceID() }

    func logRequest(_ entry: RequestLogEntry) {
        stats.requests += 1
        if let code = entry.errorCode { stats.errors[String(code), default: 0] += 1 }
        requestLog.append(entry)
        if requestLog.count > Self.requestLogLimit { requestLog.removeFirst(requestLog.count - Self.requestLogLimit) }
    }

    // MARK: - Webhooks

    func emit(_ build: () throws -> Data, field: String) {
        do {
            dispatcher.enqueue(try build(), field: field)
        } catch {
            logger.error("cannot encode webhook", metadata: ["field": "\(field)", "error": "\(error)"])
        }
    }

    // MARK: - Scheduling

    enum ScheduledEvent: Sendable {
        case review(templateID: String, generation: Int)
        case status(messageID: String, status: String)
    }

    /// Runs the events one after another, each `delay` after the previous one (the first after
    /// now). Deadlines are fixed here, at scheduling time. Cancelled by `reset` and `shutdown`.
    func schedule(_ steps: [(delay: Double, event: ScheduledEvent)]) {
        nextTaskID += 1
        let id = nextTaskID
        let clock = self.clock
        var deadline = clock.seconds
        let timed = steps.map { step -> (deadline: Double, event: ScheduledEvent) in
            deadline += max(0, step.delay)
            return (deadline, step.event)
        }
        scheduled[id] = Task {
            for step in timed {
                do { try await clock.sleep(until: step.deadline) } catch { return }
                if Task.isCancelled { return }
                self.fire(step.event)
            }
            self.scheduled[id] = nil
        }
    }

    func fire(_ event: ScheduledEvent) {
        switch event {
        case .review(let templateID, let generation):
            guard let record = templates[templateID], record.reviewGeneration == generation, record.status == "PENDING" else { return }
            let decision = TemplateReviewer.decide(record, rules: rules.review, defaultDelay: timing.reviewDelay)
            applyReview(decision.outcome, to: templateID)
        case .status(let messageID, let status):
            emitStatus(messageID: messageID, status: status)
        }
    }

    func cancelScheduled() {
        for task in scheduled.values { task.cancel() }
        scheduled = [:]
    }

    func shutdown() { cancelScheduled() }

    // MARK: - Configuration at run time

    func setRules(_ rules: EmulatorRules) -> EmulatorTiming {
        self.rules = rules
        limits = configuration.limits.applying(rules.limits ?? .init())
        timing = configuration.timing.applying(rules.timing ?? .init())
        limiter.reconfigure(limits)
        return timing
    }

    func reset() {
        cancelScheduled()
        templates = [:]
        templateSequence = 0
        nameLocks = [:]
        creations = RollingCounter()
        messages = [:]
        messageSequence = 0
        windows = [:]
        refusals = [:]
        conversations = [:]
        limiter = SendLimiter(limits: limits)
        requestLog = []
        stats = EmulatorStats()
        ids = IDFactory(seed: configuration.seed)
    }
}
