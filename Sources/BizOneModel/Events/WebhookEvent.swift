import Foundation

/// A webhook POST as received, before it is stored. The raw bytes are kept exactly: they are
/// what the signature covered and what `bizone webhooks replay` processes again.
public struct IncomingWebhook: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Signed and a valid envelope: stored, then processed.
        case accepted
        /// Signed but not a valid envelope: stored for inspection, never processed.
        case rejected
    }

    public var receivedAt: Date
    public var path: String
    public var body: Data
    public var outcome: Outcome
    public var rejectReason: String?

    public init(receivedAt: Date, path: String, body: Data, outcome: Outcome, rejectReason: String? = nil) {
        self.receivedAt = receivedAt
        self.path = path
        self.body = body
        self.outcome = outcome
        self.rejectReason = rejectReason
    }
}

/// Which event of the log, and when it arrived: what processing needs of an event besides its
/// items (which it may already hold in memory, see the processor's decoded-event cache).
public struct WebhookEventRef: Sendable, Hashable {
    public var id: Int64
    public var receivedAt: Date

    public init(id: Int64, receivedAt: Date) {
        self.id = id
        self.receivedAt = receivedAt
    }
}

/// A row of the event log.
public struct StoredWebhookEvent: Sendable, Hashable, Codable {
    public var id: Int64
    public var receivedAt: Date
    public var path: String
    /// `sha256:...` of the body: identical redeliveries are stored once.
    public var bodyHash: String
    public var body: Data
    public var outcome: IncomingWebhook.Outcome
    public var rejectReason: String?
    public var processedAt: Date?
    public var processingError: String?
    /// How many times the same bytes arrived (Meta redelivers).
    public var deliveries: Int

    public init(id: Int64, receivedAt: Date, path: String, bodyHash: String, body: Data, outcome: IncomingWebhook.Outcome,
                rejectReason: String? = nil, processedAt: Date? = nil, processingError: String? = nil, deliveries: Int = 1) {
        self.id = id
        self.receivedAt = receivedAt
        self.path = path
        self.bodyHash = bodyHash
        self.body = body
        self.outcome = outcome
        self.rejectReason = rejectReason
        self.processedAt = processedAt
        self.processingError = processingError
        self.deliveries = deliveries
    }
}

extension StoredWebhookEvent {
    public var ref: WebhookEventRef { WebhookEventRef(id: id, receivedAt: receivedAt) }
}
