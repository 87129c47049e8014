import Foundation

/// One recorded apply run, as `status` and `state runs` show it.
public struct ApplyRunRecord: Sendable, Hashable {
    /// `outcome` of a run that has not finished (or whose process died).
    public static let running = "running"

    public var id: String
    public var revision: String?
    public var actor: String
    public var startedAt: Date
    public var finishedAt: Date?
    /// "running" until finished; then "succeeded", "failed" or "partial".
    public var outcome: String
    public var planSerial: Int
    /// The state serial after the run finished.
    public var resultSerial: Int?

    public init(id: String, revision: String?, actor: String, startedAt: Date, finishedAt: Date?, outcome: String,
                planSerial: Int, resultSerial: Int?) {
        self.id = id
        self.revision = revision
        self.actor = actor
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.planSerial = planSerial
        self.resultSerial = resultSerial
    }
}
