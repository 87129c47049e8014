import BizOneModel
import Foundation

/// Why a campaign run is paused. The scheduler resumes runs paused by `window` when the send
/// window opens and by `suspend` when the campaign is no longer suspended; every other pause
/// waits for `bizone campaign resume`.
public enum CampaignPauseSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// `bizone campaign pause`.
    case manual
    /// The failure rate passed `stopConditions.maxFailureRate`.
    case failureRate = "failure_rate"
    /// The template is not sendable: not APPROVED at start, or PAUSED/DISABLED/quality RED.
    case template
    /// `suspend: true` in the campaign.
    case suspend
    /// Outside the schedule's send window.
    case window
    /// Something the campaign needs is missing from state (campaign, template, Graph client,
    /// a template parameter without a value in `spec.parameters`).
    case configuration
}

/// What a dispatcher checks between batches: the run's status and, when paused, why.
public struct CampaignRunControl: Sendable, Hashable {
    public var status: CampaignRunRecord.Status
    public var pauseReason: String?
    public var pauseSource: CampaignPauseSource?

    public init(status: CampaignRunRecord.Status, pauseReason: String? = nil, pauseSource: CampaignPauseSource? = nil) {
        self.status = status
        self.pauseReason = pauseReason
        self.pauseSource = pauseSource
    }
}

/// When a run sent: the first and last claim of a batch for sending, and the achieved rate
/// (recipients attempted per second between them).
public struct CampaignRunTiming: Sendable, Hashable, Codable {
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var firstSendAt: Date?
    public var lastSendAt: Date?
    /// Recipients with at least one attempt whose outcome is recorded or unknown.
    public var attempted: Int

    public init(createdAt: Date, startedAt: Date?, finishedAt: Date?, firstSendAt: Date?, lastSendAt: Date?, attempted: Int) {
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.firstSendAt = firstSendAt
        self.lastSendAt = lastSendAt
        self.attempted = attempted
    }

    /// Attempted recipients per second between the first and the last send; nil until two
    /// sends at different times happened.
    public var achievedRate: Double? {
        guard let first = firstSendAt, let last = lastSendAt else { return nil }
        let seconds = last.timeIntervalSince(first)
        guard seconds > 0, attempted > 1 else { return nil }
        return Double(attempted) / seconds
    }
}

/// One recipient to queue in a run. `skipReason` queues the row as `skipped` (e.g. a missing
/// parameter value), so the report accounts for every recipient of the audience.
public struct OutboxRecipient: Sendable, Hashable {
    /// E.164.
    public var phone: String
    public var name: String?
    public var attributes: [String: String]
    public var skipReason: String?

    public init(phone: String, name: String? = nil, attributes: [String: String] = [:], skipReason: String? = nil) {
        self.phone = phone
        self.name = name
        self.attributes = attributes
        self.skipReason = skipReason
    }
}

/// What happened to one claimed (`sending`) row.
public enum OutboxResult: Sendable, Hashable {
    /// Meta accepted the message. `recipientID` is Meta's `wa_id` (digits), for the ledger.
    case accepted(phone: String, wamid: String, recipientID: String?)
    /// A retryable error: back to `queued`, due again at `at`; the error is kept for the report.
    case retry(phone: String, at: Date, code: Int?, title: String?)
    /// A terminal error. `optOut` also marks the contact opted out (131050).
    case failed(phone: String, code: Int?, title: String?, details: String?, optOut: Bool)
    /// The request may have reached Meta but no answer came back: never resent.
    case unknown(phone: String, code: Int?, title: String?)
    /// Not sent, with a reason (e.g. opted out since it was queued).
    case skipped(phone: String, reason: String)
    /// Claimed but never sent (the run stopped first): back to `queued`, the attempt not counted.
    case released(phone: String)

    public var phone: String {
        switch self {
        case .accepted(let phone, _, _), .retry(let phone, _, _, _), .failed(let phone, _, _, _, _), .unknown(let phone, _, _),
             .skipped(let phone, _), .released(let phone):
            return phone
        }
    }
}

/// A due occurrence of a campaign's schedule, for `recordScheduledOccurrences`.
public struct ScheduledOccurrence: Sendable, Hashable {
    public var scheduledFor: Date
    /// Recorded as `expired` (never sent) rather than queued.
    public var expired: Bool
    /// Why it expired (the run's `pauseReason`); nil takes the caller's default.
    public var reason: String?

    public init(scheduledFor: Date, expired: Bool, reason: String? = nil) {
        self.scheduledFor = scheduledFor
        self.expired = expired
        self.reason = reason
    }
}

/// One outbox row for reports and CSV export: the entry and Meta's error details.
public struct OutboxExportRow: Sendable, Hashable {
    public var entry: OutboxEntry
    public var errorDetails: String?

    public init(entry: OutboxEntry, errorDetails: String?) {
        self.entry = entry
        self.errorDetails = errorDetails
    }
}

/// The outcome of asking for a run's lease.
public enum CampaignRunLease: Sendable, Hashable {
    case acquired
    /// Another dispatcher holds it until `until`.
    case held(by: String, until: Date)
    /// The run does not exist.
    case noRun
}
