import BizOneModel

/// BizOnePlanner: (desired, observed, templates at Meta, options) -> Plan. Pure: no I/O, no clock, no async, so
/// every planning rule is a table test away.
public enum Planner {
    /// Share of managed resources a single plan may delete without `force`.
    public static let maximumDeleteShare = 0.25

    /// `templates` nil: Meta is out of reach (no token), so templates are listed as pending and
    /// nothing about them is planned.
    public static func plan(desired: DesiredState, observed: ObservedState, templates: TemplateObservationSet? = nil,
                            options: PlanOptions = PlanOptions()) -> Plan {
        var changes: [PlanChange] = []
        var templatePlan: TemplatePlanner?
        if let templates {
            var planner = TemplatePlanner(desired: desired.resources(of: .template), observed: observed, templates: templates, options: options)
            planner.run()
            templatePlan = planner
        }
        for resource in desired.resources {
            if !resource.kind.isLocal {
                guard templatePlan == nil else { continue }
                changes.append(PlanChange(
                    id: resource.id, action: .pending, after: resource.content, afterHash: resource.contentHash,
                    reason: "pending: needs Meta (templates are submitted once the Meta client is available; no remote call was made)",
                    location: resource.location))
                continue
            }
            guard let applied = observed.resources[resource.id] else {
                changes.append(PlanChange(
                    id: resource.id, action: .create, after: resource.content, afterHash: resource.contentHash,
                    reason: "declared in configuration, not in state", location: resource.location, inputs: resource.inputs))
                continue
            }
            guard applied.contentHash != resource.contentHash else { continue }
            let fields = JSONValue.changedPaths(from: applied.content, to: resource.content)
            changes.append(PlanChange(
                id: resource.id, action: .update, before: applied.content, after: resource.content,
                beforeHash: applied.contentHash, afterHash: resource.contentHash, changedFields: fields,
                reason: fields.isEmpty ? "content changed" : "changed in configuration: \(fields.joined(separator: ", "))",
                location: resource.location, inputs: resource.inputs))
        }

        var deletes: [PlanChange] = []
        var candidates: [ResourceID] = []
        var diagnostics: [Diagnostic] = []
        if let templatePlan {
            changes += templatePlan.changes
            deletes += templatePlan.deletes
            candidates += templatePlan.candidates
            diagnostics += templatePlan.diagnostics
        }
        let orphans = observed.resources.values
            .filter { $0.managed && $0.id.kind.isLocal && desired[$0.id] == nil }
            .sorted { $0.id < $1.id }
        for orphan in orphans {
            switch prunePolicy(of: orphan) {
            case .never:
                continue
            case .confirm where !options.confirmedDeletes.contains(orphan.id):
                if options.prune {
                    diagnostics.append(.warning("\(orphan.id) has prune: confirm; it is kept", at: nil,
                                                hint: "add --confirm-delete \(orphan.id) to delete it"))
                } else {
                    candidates.append(orphan.id)
                }
                continue
            default:
                break
            }
            guard options.prune else {
                candidates.append(orphan.id)
                continue
            }
            deletes.append(PlanChange(
                id: orphan.id, action: .delete, before: orphan.content, beforeHash: orphan.contentHash,
                reason: "removed from configuration; created by BizOne, so --prune deletes it"))
        }

        let managed = observed.resources.values.filter { $0.managed && $0.id.kind.isLocal }.count
        let localDeletes = deletes.filter { $0.id.kind.isLocal }
        if !localDeletes.isEmpty && !options.force {
            if localDeletes.count == managed {
                diagnostics.append(.error("refusing to delete every managed resource (\(managed))", at: nil,
                                          hint: "check the paths given to bizone; pass --force if this is really meant"))
            } else if Double(localDeletes.count) > Double(managed) * maximumDeleteShare {
                diagnostics.append(.error("refusing to delete \(localDeletes.count) of \(managed) managed resources (more than \(Int(maximumDeleteShare * 100))%)",
                                          at: nil, hint: "pass --force if this is really meant"))
            }
        }

        changes.sort { $0.id < $1.id }
        deletes.sort { $1.id < $0.id }  // reverse apply order: campaigns before audiences, users before roles
        return Plan(stateLineage: observed.lineage, stateSerial: observed.serial, prune: options.prune,
                    changes: changes + deletes, pruneCandidates: candidates.sorted(), diagnostics: diagnostics,
                    drift: templatePlan?.drift ?? [], refreshed: templates?.remote != nil)
    }

    static func prunePolicy(of applied: AppliedResource) -> PrunePolicy {
        guard let text = applied.content.value(at: "spec.lifecycle.prune")?.stringValue else { return .allow }
        return PrunePolicy(rawValue: text) ?? .allow
    }
}
