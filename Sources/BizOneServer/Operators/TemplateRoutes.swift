import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// `GET /api/templates`: every applied template with its state at Meta (status, quality,
/// rejection reason and its detail, when the status last moved, approved edits).
struct TemplateRoutes: Sendable {
    let store: StateStore

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
    }

    func register(on router: inout GuardedRouter) {
        router.get("/api/templates", .permission(Permission("templates", "read"))) { _, _, _ in
            let store = self.store
            let (applied, records) = try await Blocking.run { (try store.appliedResources(of: [.template]), try store.templateRecords()) }
            let templates = applied.sorted { $0.id < $1.id }.map { resource in
                let record = records[resource.id]
                return Template(name: resource.id.name, language: resource.id.language ?? "", metaId: record?.templateID, status: record?.status,
                                category: record?.category, quality: record?.quality, reason: record?.reason,
                                reasonDetail: record?.reasonDetail, statusChangedAt: record?.statusChangedAt,
                                approvedEdits: record?.approvedEdits ?? [], appliedAt: resource.appliedAt, contentHash: resource.contentHash)
            }
            return JSONResponse.make(.ok, ["templates": templates])
        }
    }
}
