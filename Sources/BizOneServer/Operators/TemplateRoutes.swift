import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// `GET /api/templates`: every applied template with its sync status (the pipeline files serve
/// was started with against what was applied, from which git revision), its health at Meta
/// (status, quality, rejection reason and its detail, when the status last moved, approved
/// edits) and its recent history.
struct TemplateRoutes: Sendable {
    let store: StateStore
    let desiredHashes: [String: String]?

    struct HistoryEntry: Encodable {
        var at: Date
        var event: String
        var status: String?
        var reason: String?
        var detail: String?
        var source: String
    }

    struct Template: Encodable {
        var name: String
        var language: String
        var metaId: String?
        var status: String?
        var category: String?
        var quality: String?
        var reason: String?
        var reasonDetail: String?
        var statusChangedAt: Date?
        var approvedEdits: [Date]
        var appliedAt: Date
        var contentHash: String
        /// Synced / OutOfSync (the files differ from what was applied) / NotInFiles; nil when
        /// serve was started without pipeline paths.
        var sync: String?
        var appliedRevision: String?
        /// Healthy, Progressing, Degraded, Suspended or Unknown, from the status at Meta.
        var health: String
        var history: [HistoryEntry]
    }

    func register(on router: inout GuardedRouter) {
        router.get("/api/templates", .permission(Permission("templates", "read"))) { _, _, _ in
            let store = self.store
            let desired = self.desiredHashes
            let templates = try await Blocking.run { () -> [Template] in
                let records = try store.templateRecords()
                return try store.appliedResources(of: [.template]).sorted { $0.id < $1.id }.map { resource in
                    let record = records[resource.id]
                    let sync = desired.map { hashes -> String in
                        guard let hash = hashes["\(resource.id)"] else { return "NotInFiles" }
                        return hash == resource.contentHash ? "Synced" : "OutOfSync"
                    }
                    let history = try store.templateHistory(resource.id, limit: 20).map {
                        HistoryEntry(at: $0.at, event: $0.event, status: $0.status, reason: $0.reason, detail: $0.detail, source: $0.source)
                    }
                    return Template(name: resource.id.name, language: resource.id.language ?? "", metaId: record?.templateID, status: record?.status,
                                    category: record?.category, quality: record?.quality, reason: record?.reason,
                                    reasonDetail: record?.reasonDetail, statusChangedAt: record?.statusChangedAt,
                                    approvedEdits: record?.approvedEdits ?? [], appliedAt: resource.appliedAt, contentHash: resource.contentHash,
                                    sync: sync, appliedRevision: resource.revision, health: TemplateHealth.of(record?.status), history: history)
                }
            }
            return JSONResponse.make(.ok, ["templates": templates])
        }
    }
}
