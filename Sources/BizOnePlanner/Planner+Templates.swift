import BizOneModel
import Foundation

/// Templates against Meta (DESIGN.md §4, reference §6.9): create, adopt, edit in place when
/// Meta allows it, replace when it does not, rename via `previousNames`, drift, quotas.
struct TemplatePlanner {
    let desired: [Resource]
    let observed: ObservedState
    let templates: TemplateObservationSet
    let options: PlanOptions

    var changes: [PlanChange] = []
    var deletes: [PlanChange] = []
    var candidates: [ResourceID] = []
    var diagnostics: [Diagnostic] = []
    var drift: [DriftItem] = []

    init(desired: [Resource], observed: ObservedState, templates: TemplateObservationSet, options: PlanOptions) {
        self.desired = desired
        self.observed = observed
        self.templates = templates
        self.options = options
    }

    mutating func run() {
        let desiredIDs = Set(desired.map(\.id))
        let renames = findRenames(desiredIDs: desiredIDs)
        for resource in desired {
            if let old = renames[resource.id] {
                planRename(resource, from: old)
            } else {
                plan(resource)
            }
        }
        planDeletes(desiredIDs: desiredIDs, renamed: Set(renames.values))
        checkCreationBudget()
        noteUnmanaged(desiredIDs: desiredIDs)
    }

    // MARK: One desired template

    private mutating func plan(_ resource: Resource) {
        guard case .template(let spec) = resource.spec else { return }
        let id = resource.id
        let fingerprint = templates.desiredFingerprints[id] ?? ""
        let applied = observed.resources[id]
        let record = templates.records[id]
        var inputs = resource.inputs
        inputs["fingerprint"] = fingerprint

        guard let remoteSet = templates.remote else {
            // Not refreshed: plan from the state file alone.
            guard let applied else {
                changes.append(change(resource, .create, inputs: inputs, reason: "declared in configuration, not in state (planned without refreshing from Meta)"))
                return
            }
            guard applied.contentHash != resource.contentHash else { return }
            if let templateID = record?.templateID { inputs["templateID"] = templateID }
            editOrReplace(resource, spec: spec, applied: applied, status: record?.status ?? "UNKNOWN",
                          remoteFormat: Self.format(of: applied), inputs: inputs, record: record, extraReason: nil)
            return
        }

        let remote = remoteSet[id]
        guard let applied else {
            guard let remote else {
                changes.append(change(resource, .create, inputs: inputs, reason: "declared in configuration, not at Meta"))
                return
            }
            if remote.fingerprint == fingerprint && remote.parameterFormat == spec.parameterFormat.rawValue {
                inputs["templateID"] = remote.templateID
                inputs["status"] = remote.status
                inputs["category"] = remote.category
                changes.append(change(resource, .adopt, inputs: inputs,
                                      reason: "already at Meta with the desired content (id \(remote.templateID), \(remote.status)): recorded, not created again"))
            } else {
                diagnostics.append(.error("\(id) exists at Meta (id \(remote.templateID), \(remote.status)) with other content and is not managed by this state",
                                          at: resource.location,
                                          hint: "import it with `bizone import templates`, or give this template another name"))
            }
            return
        }

        guard let remote else {
            let was = record?.templateID.map { " (was id \($0))" } ?? ""
            drift.append(DriftItem(id: id, description: "deleted at Meta outside BizOne\(was)"))
            changes.append(change(resource, .create, before: applied, inputs: inputs,
                                  reason: "deleted at Meta outside BizOne\(was): will be created again"))
            return
        }
        inputs["templateID"] = remote.templateID
        let drifted = record?.appliedFingerprint.map { $0 != remote.fingerprint } ?? false
        if drifted {
            drift.append(DriftItem(id: id, description: "components changed at Meta outside BizOne (status \(remote.status)); apply overwrites them"))
        }
        let appliedCategory = applied.content.value(at: "spec.category")?.stringValue
        let categoryChangedInGit = appliedCategory != nil && appliedCategory != spec.category.rawValue
        if remote.category != spec.category.rawValue && !categoryChangedInGit {
            drift.append(DriftItem(id: id, description: "Meta categorised it as \(remote.category), configuration says \(spec.category.rawValue)"))
        }
        let matches = remote.fingerprint == fingerprint && remote.parameterFormat == spec.parameterFormat.rawValue
        if matches && !categoryChangedInGit {
            if applied.contentHash != resource.contentHash {
                var local = change(resource, .update, before: applied, inputs: inputs,
                                   reason: "no request to Meta: what changed is not sent to Meta")
                local.inputs["stateOnly"] = "true"
                changes.append(local)
            }
            return
        }
        editOrReplace(resource, spec: spec, applied: applied, status: remote.status, remoteFormat: remote.parameterFormat,
                      inputs: inputs, record: record, extraReason: drifted ? "changed outside BizOne" : nil,
                      categoryChanged: categoryChangedInGit)
    }

    /// Update in place when Meta allows it, else replace, with the consequence in the reason.
    private mutating func editOrReplace(_ resource: Resource, spec: TemplateSpec, applied: AppliedResource, status: String,
                                        remoteFormat: String?, inputs: [String: String], record: TemplateRecord?,
                                        extraReason: String?, categoryChanged: Bool? = nil) {
        let categoryChangedInGit = categoryChanged
            ?? (applied.content.value(at: "spec.category")?.stringValue.map { $0 != spec.category.rawValue } ?? false)
        let prefix = extraReason.map { "\($0); " } ?? ""
        var replaceWhy: String?
        if let remoteFormat, remoteFormat != spec.parameterFormat.rawValue {
            replaceWhy = "the parameter format cannot change in place (\(remoteFormat) -> \(spec.parameterFormat.rawValue))"
        } else if categoryChangedInGit && status == "APPROVED" {
            replaceWhy = "the category of an approved template cannot change"
        } else if !TemplateLimits.editableStatuses.contains(status) {
            replaceWhy = "Meta does not edit \(status) templates"
        }
        guard let why = replaceWhy else {
            var inputs = inputs
            if categoryChangedInGit { inputs["sendCategory"] = "true" }
            var reason = prefix + "edit re-enters review"
            if status == "APPROVED" {
                inputs["approvedEdit"] = "true"
                let (day, month) = editsInWindows(record)
                reason += "; uses 1 edit of 1 per 24 h and \(month + 1) of \(TemplateLimits.approvedEditsPer30d) in 30 days"
                checkQuota(resource, day: day, month: month, record: record)
            } else {
                reason += "; edits of \(status.lowercased()) templates are not limited"
            }
            changes.append(change(resource, .update, before: applied, inputs: inputs, reason: reason))
            return
        }
        var consequence = "Meta cannot change it in place: \(why), so the template is deleted and created again (it re-enters review)"
        if status == "DISABLED" {
            diagnostics.append(.error("\(resource.id) is DISABLED at Meta: it can be neither edited nor deleted", at: resource.location,
                                      hint: "give the template a new name; list the old one in metadata.previousNames to retire it from BizOne"))
            return
        }
        if status == "APPROVED" {
            consequence += "; deleting an approved template locks its name for 30 days, so Meta refuses the re-create until then"
            if !options.force {
                diagnostics.append(.error("\(resource.id): \(why); replacing an approved template under the same name fails (30-day name lock)",
                                          at: resource.location,
                                          hint: "rename it (new metadata.name, old name in metadata.previousNames), or pass --force to delete it anyway"))
            }
        }
        changes.append(change(resource, .replace, before: applied, inputs: inputs, reason: prefix + consequence))
    }

    private func editsInWindows(_ record: TemplateRecord?) -> (day: Int, month: Int) {
        let edits = record?.approvedEdits ?? []
        let now = templates.now
        return (edits.filter { now.timeIntervalSince($0) < 86_400 }.count, edits.filter { now.timeIntervalSince($0) < 30 * 86_400 }.count)
    }

    private mutating func checkQuota(_ resource: Resource, day: Int, month: Int, record: TemplateRecord?) {
        let edits = (record?.approvedEdits ?? []).sorted()
        if month >= TemplateLimits.approvedEditsPer30d {
            let inWindow = edits.filter { templates.now.timeIntervalSince($0) < 30 * 86_400 }
            let next = inWindow.first.map { Timestamps.format($0.addingTimeInterval(30 * 86_400)) } ?? "later"
            diagnostics.append(.error("\(resource.id): Meta allows \(TemplateLimits.approvedEditsPer30d) edits of an approved template in 30 days and all are used",
                                      at: resource.location, hint: "the next edit is possible after \(next); or create a new template name"))
        } else if day >= TemplateLimits.approvedEditsPer24h {
            let last = edits.last.map { Timestamps.format($0.addingTimeInterval(86_400)) } ?? "later"
            diagnostics.append(.error("\(resource.id): Meta allows 1 edit of an approved template per 24 hours and it is used",
                                      at: resource.location, hint: "the next edit is possible after \(last)"))
        }
    }

    // MARK: Renames

    /// New template -> the state template it replaces (same language, listed in previousNames).
    private func findRenames(desiredIDs: Set<ResourceID>) -> [ResourceID: ResourceID] {
        var renames: [ResourceID: ResourceID] = [:]
        for resource in desired where observed.resources[resource.id] == nil {
            for old in resource.metadata.previousNames {
                let oldID = ResourceID(kind: .template, name: old, language: resource.id.language)
                if let applied = observed.resources[oldID], applied.managed, !desiredIDs.contains(oldID) {
                    renames[resource.id] = oldID
                    break
                }
            }
        }
        return renames
    }

    private mutating func planRename(_ resource: Resource, from old: ResourceID) {
        var inputs = resource.inputs
        inputs["fingerprint"] = templates.desiredFingerprints[resource.id] ?? ""
        inputs["replaces"] = old.description
        if let templateID = templates.remote?[old]?.templateID ?? templates.records[old]?.templateID { inputs["oldTemplateID"] = templateID }
        changes.append(change(resource, .replace, before: observed.resources[old], inputs: inputs,
                              reason: "renamed from \(old.name) (metadata.previousNames): Meta cannot rename, so \(old) is deleted and \(resource.id) created (it re-enters review)"))
    }

    // MARK: Deletes

    private mutating func planDeletes(desiredIDs: Set<ResourceID>, renamed: Set<ResourceID>) {
        let managed = observed.resources.values.filter { $0.id.kind == .template && $0.managed }
        for applied in managed.sorted(by: { $0.id < $1.id }) where !desiredIDs.contains(applied.id) && !renamed.contains(applied.id) {
            switch Planner.prunePolicy(of: applied) {
            case .never:
                continue
            case .confirm where !options.confirmedDeletes.contains(applied.id):
                if options.prune {
                    diagnostics.append(.warning("\(applied.id) has prune: confirm; it is kept", at: nil,
                                                hint: "add --confirm-delete \(applied.id) to delete it"))
                } else {
                    candidates.append(applied.id)
                }
                continue
            default:
                break
            }
            guard options.prune else {
                candidates.append(applied.id)
                continue
            }
            var inputs: [String: String] = [:]
            let remote = templates.remote?[applied.id]
            if let templateID = remote?.templateID ?? templates.records[applied.id]?.templateID { inputs["templateID"] = templateID }
            var reason = "removed from configuration; deleted by id, so other languages of \(applied.id.name) stay"
            if templates.remote != nil && remote == nil {
                inputs["stateOnly"] = "true"
                reason = "removed from configuration and already gone at Meta: removed from state only"
            } else if remote?.status == "DISABLED" {
                diagnostics.append(.error("\(applied.id) is DISABLED at Meta and cannot be deleted", at: nil,
                                          hint: "keep it declared, or mark it lifecycle.prune: never"))
                continue
            }
            deletes.append(PlanChange(id: applied.id, action: .delete, before: applied.content, beforeHash: applied.contentHash,
                                      reason: reason, inputs: inputs))
        }
        if !deletes.isEmpty && !options.force {
            if deletes.count == managed.count {
                diagnostics.append(.error("refusing to delete every managed template (\(managed.count))", at: nil,
                                          hint: "check the paths given to bizone; pass --force if this is really meant"))
            } else if Double(deletes.count) > Double(managed.count) * Planner.maximumDeleteShare {
                diagnostics.append(.error("refusing to delete \(deletes.count) of \(managed.count) managed templates (more than \(Int(Planner.maximumDeleteShare * 100))%)",
                                          at: nil, hint: "pass --force if this is really meant"))
            }
        }
    }

    // MARK: Limits and notes

    private mutating func checkCreationBudget() {
        let creates = changes.filter { ($0.action == .create || $0.action == .replace) && $0.inputs["stateOnly"] == nil }.count
        let recent = templates.createsInLastHour.filter { templates.now.timeIntervalSince($0) < 3_600 }.sorted()
        let remaining = max(0, templates.createsPerHour - recent.count)
        guard creates > remaining else { return }
        let index = creates - remaining - 1
        let nextSlot = index < recent.count ? recent[index].addingTimeInterval(3_600) : templates.now.addingTimeInterval(3_600)
        diagnostics.append(.warning(
            "\(creates) templates to create, but Meta allows \(templates.createsPerHour) per hour and \(remaining) remain now",
            at: nil, hint: "apply creates \(remaining) and defers the rest; run apply again after \(Timestamps.format(nextSlot)) to finish"))
    }

    private mutating func noteUnmanaged(desiredIDs: Set<ResourceID>) {
        guard let remote = templates.remote else { return }
        let unmanaged = remote.keys.filter { !desiredIDs.contains($0) && observed.resources[$0] == nil }
        guard !unmanaged.isEmpty else { return }
        diagnostics.append(.warning("\(unmanaged.count) template\(unmanaged.count == 1 ? "" : "s") at Meta \(unmanaged.count == 1 ? "is" : "are") not managed by BizOne",
                                    at: nil, hint: "bizone import templates --out DIR writes YAML for them"))
    }

    // MARK: Helpers

    private func change(_ resource: Resource, _ action: PlanAction, before: AppliedResource? = nil,
                        inputs: [String: String], reason: String) -> PlanChange {
        PlanChange(id: resource.id, action: action, before: before?.content, after: resource.content,
                   beforeHash: before?.contentHash, afterHash: resource.contentHash,
                   changedFields: before.map { JSONValue.changedPaths(from: $0.content, to: resource.content) } ?? [],
                   reason: reason, location: resource.location, inputs: inputs)
    }

    static func format(of applied: AppliedResource) -> String? {
        applied.content.value(at: "spec.parameterFormat")?.stringValue
    }
}
