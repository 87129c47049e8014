import BizOneModel
import BizOneStore
import Foundation

/// How far a run has come, for the CLI's progress bar.
public struct CampaignProgress: Sendable, Hashable {
    public var runID: Int64
    public var campaign: String
    /// Recipients with an outcome: accepted or later, failed, skipped or unknown.
    public var done: Int
    /// Recipients queued for the run (0 until the audience is queued).
    public var total: Int
    /// Send requests per second since this dispatcher started on the run.
    public var rate: Double
    /// Set while the run waits for its phone number: who sends for it now.
    public var waiting: String?

    public init(runID: Int64, campaign: String, done: Int, total: Int, rate: Double, waiting: String? = nil) {
        self.runID = runID
        self.campaign = campaign
        self.done = done
        self.total = total
        self.rate = rate
        self.waiting = waiting
    }
}

/// One send request's outcome, for metrics (`bizone_sends_total{outcome}`).
public struct CampaignSendEvent: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Meta accepted the message (HTTP 200 with a wamid).
        case accepted
        /// A retryable error: the recipient is queued again with backoff.
        case retry
        /// A terminal error, recorded with Meta's code.
        case failed
        /// No answer after the request may have gone out: recorded `unknown`, never resent.
        case unknown
    }

    public var campaign: String
    public var runID: Int64
    public var outcome: Outcome
    /// Meta's error code, when there was one.
    public var errorCode: Int?

    public init(campaign: String, runID: Int64, outcome: Outcome, errorCode: Int? = nil) {
        self.campaign = campaign
        self.runID = runID
        self.outcome = outcome
        self.errorCode = errorCode
    }
}

/// Where `CampaignDispatcher.run` left a run.
public enum CampaignRunOutcome: Sendable, Hashable {
    /// Every recipient has an outcome.
    case completed
    /// Paused (now or before): by hand, by a stop condition, the template, `suspend`, the window.
    case paused(reason: String)
    case cancelled
    case expired
    /// Another dispatcher holds the run's lease (e.g. `bizone campaign run` while `serve` runs it).
    case busy(holder: String)
    /// The task was cancelled (shutdown): in-flight sends were recorded, the rest stays queued
    /// and the run stays `running`, to be continued on the next start.
    case stopped
}

/// Failures that are not about one recipient.
public enum CampaignError: Error, Sendable, CustomStringConvertible {
    case noRun(Int64)
    case noCampaign(String)

    public var description: String {
        switch self {
        case .noRun(let id): return "no campaign run \(id) in state"
        case .noCampaign(let name): return "no campaign \(name) in state (apply it first)"
        }
    }
}
