/// Why the `EventWriter` did not make an event durable. Nothing of the event was stored.
public enum EventWriterError: Error, Sendable, CustomStringConvertible {
    /// The writer shut down; the request should be retried later (503).
    case stopped
    /// The transaction failed; the whole batch was rolled back (500).
    case writeFailed(String)

    public var description: String {
        switch self {
        case .stopped: return "the event writer has stopped"
        case .writeFailed(let reason): return "writing the event log failed: \(reason)"
        }
    }
}
