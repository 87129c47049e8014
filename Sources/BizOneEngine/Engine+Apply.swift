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
    /// state (same lineage and serial); each change is written in its own transaction together
    /// with its outcome, and the first failure stops the run with the rest reported.
    public func apply(_ plan: Plan, actor: ApplyActor, lockTimeout: Double = 0,
                      progress: @Sendable (PlanChange, Int, Int) -> Void = { _, _, _ in }) throws -> ApplyReport {
        guard !plan.diagnostics.hasErrors else { throw EngineError.refused(plan.diagnostics) }
        let lockID = UUID().uuidString.lowercased()
        _ = try store.acquireLock(LockRequest(id: lockID, operation: "apply", who: actor.who, pid: Int(actor.pid), host: actor.host),
                                  timeout: lockTimeout)
        defer {
            do { try store.releaseLock(id: lockID) } catch { logger.error("could not release state lock \(lockID): \(error)") }
        }
        let info = try store.info()
        guard info.lineage == plan.stateLineage else {
            throw EngineError.otherState(planLineage: plan.stateLineage, stateLineage: info.lineage)
        }
        guard info.serial == plan.stateSerial else {
            throw EngineError.stalePlan(planSerial: plan.stateSerial, stateSerial: info.serial)
        }

        let changes = plan.actionableChanges
        let runID = lockID
        try store.beginApplyRun(ApplyRunStart(id: runID, revision: actor.revision, actor: actor.who, startedAt: now(), planSerial: plan.stateSerial))
        var report = ApplyReport(runID: runID, serial: info.serial)
        for (offset, change) in changes.enumerated() {
            progress(change, offset + 1, changes.count)
            do {
                let contacts = try audienceContacts(for: change)
                try store.applyChange(change, runID: runID, sequence: offset + 1, at: now(), revision: actor.revision,
                                      audienceContacts: contacts)
                report.applied.append(change)
                logger.debug("applied", metadata: ["resource": "\(change.id)", "action": "\(change.action.rawValue)"])
            } catch {
                let message = "\(error)"
                try? store.recordFailedChange(change, runID: runID, sequence: offset + 1, message: message)
                report.failed.append(.init(change: change, message: message))
                report.notAttempted = Array(changes[(offset + 1)...])
                logger.error("apply failed", metadata: ["resource": "\(change.id)", "error": "\(message)"])
                break
            }
        }
        report.serial = try store.finishApplyRun(id: runID, at: now(), outcome: report.outcome, changed: !report.applied.isEmpty)
        return report
    }

    /// Members for an audience create or update: the CSV rows (checked against the digest the
    /// plan saw) plus inline contacts, minus exclusions. Nil for other changes.
    func audienceContacts(for change: PlanChange) throws -> [AudienceContact]? {
        guard change.id.kind == .audience, change.action != .delete, let after = change.after?["spec"] else { return nil }
        let spec = try after.decode(AudienceSpec.self)
        let countryCode = spec.defaultCountryCode ?? change.inputs["defaultCountryCode"]
        var contacts: [AudienceContact] = []
        var seen = Set<String>()
        if let csv = spec.csv {
            guard let path = change.inputs["csv"] else { throw EngineError.inputChanged(change.id, csv.path) }
            let summary = try AudienceFile.scan(path: path, source: csv, defaultCountryCode: countryCode) { contact in
                contacts.append(contact)
            }
            guard summary.digest == csv.digest else { throw EngineError.inputChanged(change.id, csv.path) }
            seen = Set(contacts.map(\.phone))
        }
        for inline in spec.contacts ?? [] where seen.insert(inline.phone).inserted {
            contacts.append(AudienceContact(phone: inline.phone, name: inline.name, attributes: inline.attributes ?? [:], tags: inline.tags ?? []))
        }
        let excludedPhones = Set(spec.exclude?.phones ?? [])
        let excludedTags = Set(spec.exclude?.tags ?? [])
        return contacts.filter { !excludedPhones.contains($0.phone) && excludedTags.isDisjoint(with: $0.tags) }
    }
}
