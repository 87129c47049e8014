import BizOneConfig
import BizOneModel
import BizOneStore
import Foundation

/// Who is applying, for the run record and the lock.
public struct ApplyActor: Sendable {
    public var who: String
    public var revision: String?
    public var pid: Int32
    public var host: String

    public init(who: String, revision: String?, pid: Int32 = ProcessInfo.processInfo.processIdentifier,
                host: String = ProcessInfo.processInfo.hostName) {
        self.who = who
        self.revision = revision
        self.pid = pid
        self.host = host
    }
}

extension Engine {
    /// Executes `plan` under the state lock. The plan must have been made against the current
    /// state (same lineage and serial; a plan made before any state existed fits a state that
    /// nothing was applied to yet). Each change is written in its own transaction together
    /// with its outcome, right after its remote call, so a crash never loses a finished call;
    /// the first failure stops the run with the rest reported. Template creations beyond Meta's
    /// hourly limit are deferred, not failed.
    public func apply(_ plan: Plan, actor: ApplyActor, lockTimeout: Double = 0,
                      progress: @Sendable (PlanChange, Int, Int) -> Void = { _, _, _ in }) async throws -> ApplyReport {
        guard !plan.diagnostics.hasErrors else { throw EngineError.refused(plan.diagnostics) }
        let lockID = UUID().uuidString.lowercased()
        let request = LockRequest(id: lockID, operation: "apply", who: actor.who, pid: Int(actor.pid), host: actor.host)
        var brokenLock: LockInfo?
        do {
            _ = try store.acquireLock(request, timeout: lockTimeout)
        } catch StoreError.locked(let holder) where holder.host == actor.host && !Self.processIsAlive(holder.pid) {
            // The holder crashed or was killed on this very host: its lock protects nothing.
            logger.warning("breaking stale lock", metadata: ["lock": "\(holder.id)", "pid": "\(holder.pid)"])
            try store.forceUnlock(id: holder.id)
            _ = try store.acquireLock(request, timeout: lockTimeout)
            brokenLock = holder
        }
        defer {
            do { try store.releaseLock(id: lockID) } catch { logger.error("could not release state lock \(lockID): \(error)") }
        }
        let info = try store.info()
        guard info.lineage == plan.stateLineage || plan.stateLineage == ObservedState.noLineage else {
            throw EngineError.otherState(planLineage: plan.stateLineage, stateLineage: info.lineage)
        }
        guard info.serial == plan.stateSerial else {
            throw EngineError.stalePlan(planSerial: plan.stateSerial, stateSerial: info.serial)
        }

        let changes = plan.actionableChanges
        let runID = lockID
        try store.beginApplyRun(ApplyRunStart(id: runID, revision: actor.revision, actor: actor.who, startedAt: now(), planSerial: plan.stateSerial))
        var report = ApplyReport(runID: runID, serial: info.serial)
        report.brokenStaleLock = brokenLock
        var context = ApplyContext(runID: runID, revision: actor.revision,
                                   recentCreates: try store.templateCreates(since: now().addingTimeInterval(-3_600)))
        for (offset, change) in changes.enumerated() {
            progress(change, offset + 1, changes.count)
            do {
                if change.id.kind == .template {
                    if let deferredUntil = try await applyTemplate(change, context: &context) {
                        report.deferred.append(.init(change: change, until: deferredUntil))
                        continue
                    }
                } else {
                    let rows = try audienceRows(for: change)
                    do {
                        try store.applyChange(change, runID: runID, sequence: context.nextSequence(), at: now(), revision: actor.revision,
                                              audienceRows: rows)
                    } catch AudienceFile.Failure.changed {
                        throw EngineError.inputChanged(change.id, rows?.spec.csv?.path ?? change.id.description)
                    }
                }
                report.applied.append(change)
                logger.debug("applied", metadata: ["resource": "\(change.id)", "action": "\(change.action.rawValue)"])
            } catch {
                let message = "\(error)"
                try? store.recordFailedChange(change, runID: runID, sequence: context.nextSequence(), message: message)
                report.failed.append(.init(change: change, message: message))
                report.notAttempted = Array(changes[(offset + 1)...])
                logger.error("apply failed", metadata: ["resource": "\(change.id)", "error": "\(message)"])
                break
            }
        }
        report.serial = try store.finishApplyRun(id: runID, at: now(), outcome: report.outcome, changed: !report.applied.isEmpty)
        return report
    }

    /// Whether a process with this pid exists on this host (signal 0 probes without sending).
    static func processIsAlive(_ pid: Int) -> Bool {
        guard pid > 0 else { return false }
        guard let pid = pid_t(exactly: pid) else { return false }
        return kill(pid, 0) == 0 || errno != ESRCH
    }

    /// The rows of an audience create or update, streamed into the store by `applyChange`: the
    /// CSV's rows (read from the file the plan saw, refused with `AudienceFile.Failure.changed`
    /// when its digest no longer matches) and the inline contacts. Filters and exclusions are
    /// not applied here: the store evaluates them whenever recipients are read, so they see
    /// contacts as they are then. Nil for other changes.
    func audienceRows(for change: PlanChange) throws -> AudienceRows? {
        guard change.id.kind == .audience, change.action != .delete, let after = change.after?["spec"] else { return nil }
        let spec = try after.decode(AudienceSpec.self)
        if let csv = spec.csv, change.inputs["csv"] == nil { throw EngineError.inputChanged(change.id, csv.path) }
        return AudienceRows(spec, inputs: change.inputs, checkDigest: true)
    }
}
