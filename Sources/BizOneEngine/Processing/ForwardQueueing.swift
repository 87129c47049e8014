import BizOneModel
import BizOneStore
import Foundation

/// Queues a WebhookRoute `forward` action for a stored event: the one rule for its defaults
/// (8 attempts, 10 s backoff doubling), shared by route processing and SLA escalations.
enum ForwardQueueing {
    static let defaultAttempts = 8
    static let defaultBackoff = "10s"

    enum Outcome: Equatable {
        case queued
        /// That (event, route key) was queued before.
        case alreadyQueued
        /// The action cannot forward; why, for the log.
        case unusable(String)
    }

    static func enqueue(_ action: WebhookRouteSpec.Action, routeKey: String, eventID: Int64, store: StateStore, at: Date) throws -> Outcome {
        guard let url = action.url, let secret = action.secret else { return .unusable("forward action without url or secret") }
        let backoffText = action.backoff ?? defaultBackoff
        guard let backoff = DurationValue(parsing: backoffText) else { return .unusable("unreadable backoff \(backoffText)") }
        let queued = try store.enqueueForward(eventID: eventID, route: routeKey, url: url, secretRef: secret.description,
                                              maxAttempts: max(1, action.maxAttempts ?? defaultAttempts),
                                              backoffMilliseconds: Int(clamping: backoff.milliseconds), at: at)
        return queued ? .queued : .alreadyQueued
    }
}
