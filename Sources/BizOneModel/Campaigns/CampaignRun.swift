import Foundation

/// One run of a campaign: a scheduled occurrence or a run started by hand.
public struct CampaignRunRecord: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Created, recipients not yet queued or the send window not open.
        case queued
        case running
        /// Stopped by a condition or by hand; `pauseReason` says why. Resuming continues.
        case paused
        case completed
        case cancelled
        /// Could not start within `expireAfter` of its due time: recorded, never sent.
        case expired
    }

    public enum Trigger: String, Sendable, Hashable, Codable {
        case schedule
        case manual
    }

    public var id: Int64
    public var campaign: String
    public var trigger: Trigger
    /// The occurrence this run is for (nil for manual runs).
    public var scheduledFor: Date?
    public var status: Status
    public var pauseReason: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Recipients queued for this run (after exclusions).
    public var recipients: Int

    public init(id: Int64, campaign: String, trigger: Trigger, scheduledFor: Date?, status: Status, pauseReason: String? = nil,
                createdAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil, recipients: Int = 0) {
        self.id = id
        self.campaign = campaign
        self.trigger = trigger
        self.scheduledFor = scheduledFor
        self.status = status
        self.pauseReason = pauseReason
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.recipients = recipients
    }
}

/// Where one recipient of one run stands. `queued -> sending -> accepted -> sent / delivered /
/// read / failed`, or `skipped` (with a reason), or `unknown` (the process died mid-send, so
/// whether Meta accepted it cannot be known; never resent).
public enum OutboxState: String, Sendable, Hashable, Codable, CaseIterable {
    case queued, sending, accepted, sent, delivered, read, failed, skipped, unknown

    /// States of a recipient a request was made for (whatever Meta answered).
    public static let attempted: [OutboxState] = [.accepted, .sent, .delivered, .read, .failed, .unknown]
}

/// One (run, recipient) row of the outbox.
public struct OutboxEntry: Sendable, Hashable, Codable {
    public var runID: Int64
    /// E.164.
    public var phone: String
    public var name: String?
    public var attributes: [String: String]
    public var state: OutboxState
    public var attempts: Int
    public var wamid: String?
    public var errorCode: Int?
    public var errorTitle: String?
    public var skipReason: String?
    public var nextAttemptAt: Date?
    public var updatedAt: Date

    public init(runID: Int64, phone: String, name: String?, attributes: [String: String], state: OutboxState, attempts: Int = 0,
                wamid: String? = nil, errorCode: Int? = nil, errorTitle: String? = nil, skipReason: String? = nil,
                nextAttemptAt: Date? = nil, updatedAt: Date) {
        self.runID = runID
        self.phone = phone
        self.name = name
        self.attributes = attributes
        self.state = state
        self.attempts = attempts
        self.wamid = wamid
        self.errorCode = errorCode
        self.errorTitle = errorTitle
        self.skipReason = skipReason
        self.nextAttemptAt = nextAttemptAt
        self.updatedAt = updatedAt
    }
}

/// Counts for a report: by state, by Meta error code, by skip reason.
public struct CampaignRunCounts: Sendable, Hashable, Codable {
    public var byState: [String: Int]
    public var failedByCode: [String: Int]
    public var skippedByReason: [String: Int]

    public init(byState: [String: Int] = [:], failedByCode: [String: Int] = [:], skippedByReason: [String: Int] = [:]) {
        self.byState = byState
        self.failedByCode = failedByCode
        self.skippedByReason = skippedByReason
    }

    public var total: Int { byState.values.reduce(0, +) }

    /// Recipients a send request was made for.
    public var attempted: Int { OutboxState.attempted.reduce(0) { $0 + byState[$1.rawValue, default: 0] } }
}
