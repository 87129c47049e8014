import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// `GET /api/apply-runs[?limit=N]`: the newest apply runs with their git revision, actor,
/// outcome and the outcome of each change, for `settings:read`.
struct ApplyRunRoutes: Sendable {
    let store: StateStore

    struct Run: Encodable {
        var id: String
        var revision: String?
        var actor: String
        var startedAt: Date
        var finishedAt: Date?
        var outcome: String
        var changes: [Change]
    }

    struct Change: Encodable {
        var sequence: Int
        var resource: String
        var action: String
        var outcome: String
        var message: String?
    }

    func register(on router: inout GuardedRouter) {
        router.get("/api/apply-runs", .permission(Permission("settings", "read"))) { request, _, _ in
            let limit = QueryItems(request.uri.query)["limit"].flatMap { Int($0) }.map { min(max($0, 1), 100) } ?? 20
            let store = self.store
            let runs = try await Blocking.run {
                try store.applyRuns(limit: limit).map { run in
                    Run(id: run.id, revision: run.revision, actor: run.actor, startedAt: run.startedAt, finishedAt: run.finishedAt,
                        outcome: run.outcome, changes: try store.changes(runID: run.id).map {
                            Change(sequence: $0.sequence, resource: $0.resourceID, action: $0.action.rawValue, outcome: $0.outcome,
                                   message: $0.message)
                        })
                }
            }
            return JSONResponse.make(.ok, ["runs": runs])
        }
    }
}
