import BizOneModel

/// The outcome of one change within an apply run.
public struct ApplyChangeRecord: Sendable, Hashable {
    public static let applied = "applied"
    public static let failed = "failed"

    public var runID: String
    /// Position of the change in the run, as given by the engine.
    public var sequence: Int
    /// The printed resource id (`template/welcome@en_US`).
    public var resourceID: String
    public var action: PlanAction
    /// "applied" or "failed".
    public var outcome: String
    public var message: String?

    public init(runID: String, sequence: Int, resourceID: String, action: PlanAction, outcome: String, message: String?) {
        self.runID = runID
        self.sequence = sequence
        self.resourceID = resourceID
        self.action = action
        self.outcome = outcome
        self.message = message
    }
}
