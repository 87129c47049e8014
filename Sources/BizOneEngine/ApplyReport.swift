import BizOneModel
import BizOneStore
import Foundation

/// What an apply did, change by change, for the summary line and the run record.
public struct ApplyReport: Sendable {
    public struct Failure: Sendable {
        public var change: PlanChange
        public var message: String
    }

    public struct Deferred: Sendable {
        public var change: PlanChange
        /// When Meta's hourly creation limit lets it proceed.
        public var until: Date
    }

    public var runID: String
    /// Template creations held back by Meta's 100-per-hour limit; a later apply finishes them.
    public var deferred: [Deferred] = []
    /// A lock left by a process that no longer exists on this host, broken to proceed.
    public var brokenStaleLock: LockInfo?
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
        let added = applied.filter { $0.action == .create || $0.action == .replace || $0.action == .adopt }.count
        let changed = applied.filter { $0.action == .update }.count
        let destroyed = applied.filter { $0.action == .delete || $0.action == .replace }.count
        let counts = "\(added) added, \(changed) changed, \(destroyed) destroyed"
        if failed.isEmpty { return "Apply complete! Resources: \(counts)." }
        return "Apply failed after \(applied.count) of \(applied.count + failed.count + notAttempted.count) changes. Resources: \(counts)."
    }
}
