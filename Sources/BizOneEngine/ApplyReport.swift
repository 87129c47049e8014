import BizOneModel

/// What an apply did, change by change, for the summary line and the run record.
public struct ApplyReport: Sendable {
    public struct Failure: Sendable {
        public var change: PlanChange
        public var message: String
    }

    public var runID: String
    public var applied: [PlanChange] = []
    public var failed: [Failure] = []
    /// Changes not attempted because an earlier one failed.
    public var notAttempted: [PlanChange] = []
    public var serial: Int

    public var succeeded: Bool { failed.isEmpty }

    public var outcome: String {
        if failed.isEmpty { return "succeeded" }
        return applied.isEmpty ? "failed" : "partial"
    }

    /// `Apply complete! Resources: 3 added, 1 changed, 0 destroyed.`
    public var summaryLine: String {
        let added = applied.filter { $0.action == .create || $0.action == .replace }.count
        let changed = applied.filter { $0.action == .update }.count
        let destroyed = applied.filter { $0.action == .delete || $0.action == .replace }.count
        let counts = "\(added) added, \(changed) changed, \(destroyed) destroyed"
        if failed.isEmpty { return "Apply complete! Resources: \(counts)." }
        return "Apply failed after \(applied.count) of \(applied.count + failed.count + notAttempted.count) changes. Resources: \(counts)."
    }
}
