import BizOneModel
import BizOneStore
import Foundation
import MetaGraph

extension Engine {
    /// One template change against Meta, then its state write. Returns the time it can proceed
    /// when Meta's creation limit defers it.
    func applyTemplate(_ change: PlanChange, context: inout ApplyContext) async throws -> Date? {
        let fingerprint = change.inputs["fingerprint"] ?? ""
        switch change.action {
        case .adopt:
            let write = TemplateWrite(templateID: try required(change, "templateID"), status: change.inputs["status"] ?? "UNKNOWN",
                                      category: change.inputs["category"] ?? "", appliedFingerprint: fingerprint, event: .adopted)
            try store.applyChange(change, runID: context.runID, sequence: context.nextSequence(), at: now(), revision: context.revision,
                                  template: write)
        case .create:
            if let until = creationDeferral(&context) { return until }
            let write = try await create(change, fingerprint: fingerprint, event: .created)
            try store.applyChange(change, runID: context.runID, sequence: context.nextSequence(), at: now(), revision: context.revision,
                                  template: write)
        case .update:
            if change.inputs["stateOnly"] == "true" {
                try store.applyChange(change, runID: context.runID, sequence: context.nextSequence(), at: now(), revision: context.revision)
                return nil
            }
            let (spec, client) = try specAndClient(change)
            let templateID = try required(change, "templateID")
            try await client.editTemplate(id: templateID, TemplateMapping.editRequest(spec: spec, includeCategory: change.inputs["sendCategory"] == "true"))
            let write = TemplateWrite(templateID: templateID, status: "PENDING", category: spec.category.rawValue, appliedFingerprint: fingerprint,
                                      event: .edited, countsAsApprovedEdit: change.inputs["approvedEdit"] == "true")
            try store.applyChange(change, runID: context.runID, sequence: context.nextSequence(), at: now(), revision: context.revision,
                                  template: write)
        case .replace:
            if let until = creationDeferral(&context) { return until }
            let (_, client) = try specAndClient(change)
            if let old = change.inputs["replaces"].flatMap(ResourceID.init(parsing:)) {
                // A rename: the old template goes (by id, so its other languages stay), then the new one is created.
                if let oldID = change.inputs["oldTemplateID"] { try await deleteIgnoringMissing(client, name: old.name, id: oldID) }
                let removal = PlanChange(id: old, action: .delete, before: change.before, reason: "renamed to \(change.id.name)")
                try store.applyChange(removal, runID: context.runID, sequence: context.nextSequence(), at: now(), revision: context.revision)
                let write = try await create(change, fingerprint: fingerprint, event: .created)
                var created = change
                created.action = .create
                try store.applyChange(created, runID: context.runID, sequence: context.nextSequence(), at: now(), revision: context.revision,
                                      template: write)
            } else {
                if let templateID = change.inputs["templateID"] {
                    try await deleteIgnoringMissing(client, name: change.id.name, id: templateID)
                }
                let write = try await create(change, fingerprint: fingerprint, event: .recreated)
                try store.applyChange(change, runID: context.runID, sequence: context.nextSequence(), at: now(), revision: context.revision,
                                      template: write)
            }
        case .delete:
            if change.inputs["stateOnly"] != "true" {
                guard let client = meta.client(for: change.inputs["integration"])?.client else { throw EngineError.noMeta(change.id, meta.unavailable) }
                guard let templateID = change.inputs["templateID"] else {
                    throw EngineError.missingInput(change.id, "Meta's template id (run bizone sync, then plan again)")
                }
                try await deleteIgnoringMissing(client, name: change.id.name, id: templateID)
            }
            try store.applyChange(change, runID: context.runID, sequence: context.nextSequence(), at: now(), revision: context.revision)
        case .pending:
            break
        }
        return nil
    }

    /// Creates at Meta; a template that already exists there with this name and language (a
    /// create that finished before a crash) is adopted instead of failing the run.
    private func create(_ change: PlanChange, fingerprint: String, event: TemplateWrite.Event) async throws -> TemplateWrite {
        let (spec, client) = try specAndClient(change)
        do {
            let response = try await client.createTemplate(TemplateMapping.createRequest(name: change.id.name, spec: spec))
            return TemplateWrite(templateID: response.id, status: response.status, category: response.category,
                                 appliedFingerprint: fingerprint, event: event, countsAsCreate: true)
        } catch let error as GraphError where error.code == 100 && error.subcode == 2_388_024 {
            let existing = try await client.listTemplates(TemplateQuery(fields: TemplateQuery.reconcileFields, limit: 100, name: change.id.name))
            guard let match = existing.data.compactMap(TemplateFingerprint.remote).first(where: { $0.id == change.id }),
                  match.fingerprint == fingerprint else { throw error }
            logger.info("template already at Meta with this content: adopted", metadata: ["resource": "\(change.id)"])
            return TemplateWrite(templateID: match.templateID, status: match.status, category: match.category,
                                 appliedFingerprint: fingerprint, event: .adopted)
        }
    }

    private func deleteIgnoringMissing(_ client: any GraphClient, name: String, id: String) async throws {
        do {
            try await client.deleteTemplate(name: name, id: id)
        } catch let error as GraphError where error.code == 100 && (error.subcode == 33 || error.message.contains("not found")) {
            logger.info("template already gone at Meta", metadata: ["name": "\(name)", "id": "\(id)"])
        }
    }

    /// Nil when a creation may go ahead now (and counts it); else when the next slot opens.
    private func creationDeferral(_ context: inout ApplyContext) -> Date? {
        let now = now()
        context.recentCreates = context.recentCreates.filter { now.timeIntervalSince($0) < 3_600 }.sorted()
        guard context.recentCreates.count >= templateCreatesPerHour else {
            context.recentCreates.append(now)
            return nil
        }
        return context.recentCreates[context.recentCreates.count - templateCreatesPerHour].addingTimeInterval(3_600)
    }

    private func specAndClient(_ change: PlanChange) throws -> (TemplateSpec, any GraphClient) {
        guard let spec = try change.after?["spec"]?.decode(TemplateSpec.self) else {
            throw EngineError.missingInput(change.id, "the desired template content")
        }
        guard let client = meta.client(for: spec.integration ?? change.inputs["integration"])?.client else {
            throw EngineError.noMeta(change.id, meta.unavailable)
        }
        return (spec, client)
    }

    private func required(_ change: PlanChange, _ key: String) throws -> String {
        guard let value = change.inputs[key], !value.isEmpty else { throw EngineError.missingInput(change.id, key) }
        return value
    }
}
