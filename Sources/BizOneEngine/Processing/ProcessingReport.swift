import Foundation

/// What processing a set of events did. Replaying events already processed gives a report of
/// duplicates and no-ops: nothing in it says "changed" a second time.
public struct ProcessingReport: Sendable, Hashable {
    /// Events read (accepted ones only).
    public var events = 0
    /// Events that threw: marked with their error and skipped.
    public var failedEvents = 0
    /// Typed items found in the events.
    public var items = 0
    public var statusesAdvanced = 0
    public var statusesDuplicate = 0
    public var statusesStale = 0
    public var inboundNew = 0
    public var inboundDuplicate = 0
    /// Template status, quality or category observations that changed the stored record.
    public var templateUpdates = 0
    /// Template observations that changed nothing: equal to what is stored, older than it,
    /// announcements of an impending change, or about a template the state does not know.
    public var templateIgnored = 0
    public var forwardsEnqueued = 0
    public var assignments = 0
    public var optOuts = 0
    public var autoReplies = 0
    /// `value.errors[]` reported by Meta (system-, app- or account-level problems).
    public var metaErrors = 0
    /// Items of fields BizOne does not handle, and unreadable statuses or messages.
    public var ignoredItems = 0
    /// The error of each failed event, by event id.
    public var errors: [Int64: String] = [:]

    public init() {}

    public mutating func add(_ other: ProcessingReport) {
        events += other.events
        failedEvents += other.failedEvents
        items += other.items
        statusesAdvanced += other.statusesAdvanced
        statusesDuplicate += other.statusesDuplicate
        statusesStale += other.statusesStale
        inboundNew += other.inboundNew
        inboundDuplicate += other.inboundDuplicate
        templateUpdates += other.templateUpdates
        templateIgnored += other.templateIgnored
        forwardsEnqueued += other.forwardsEnqueued
        assignments += other.assignments
        optOuts += other.optOuts
        autoReplies += other.autoReplies
        metaErrors += other.metaErrors
        ignoredItems += other.ignoredItems
        errors.merge(other.errors) { $1 }
    }

    /// Anything stored changed (a replay of processed events reports false).
    public var changedAnything: Bool {
        statusesAdvanced + inboundNew + templateUpdates + forwardsEnqueued + assignments + optOuts + autoReplies > 0
    }
}

/// One batch the processor committed (the cursor moved past `lastEventID`).
public struct ProcessedBatch: Sendable, Hashable {
    public var report: ProcessingReport
    /// Age of the oldest event of the batch when it was processed: how far processing lags
    /// behind receiving.
    public var lagSeconds: Double
    public var lastEventID: Int64

    public init(report: ProcessingReport, lagSeconds: Double, lastEventID: Int64) {
        self.report = report
        self.lagSeconds = lagSeconds
        self.lastEventID = lastEventID
    }
}

/// Receives processing figures, so the server can turn them into metrics (processed and failed
/// counters, a lag gauge) without the engine knowing a metrics library.
public protocol EventProcessingObserver: Sendable {
    func batchProcessed(_ batch: ProcessedBatch)
}

/// An observer made of a closure.
public struct ClosureProcessingObserver: EventProcessingObserver {
    let body: @Sendable (ProcessedBatch) -> Void

    /// `processed` and `failed` count events; `lag` is in seconds.
    public init(_ body: @escaping @Sendable (_ processed: Int, _ failed: Int, _ lag: Double) -> Void) {
        self.body = { batch in body(batch.report.events, batch.report.failedEvents, batch.lagSeconds) }
    }

    public init(batch body: @escaping @Sendable (ProcessedBatch) -> Void) {
        self.body = body
    }

    public func batchProcessed(_ batch: ProcessedBatch) { body(batch) }
}
