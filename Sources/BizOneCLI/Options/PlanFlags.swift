import ArgumentParser
import BizOneModel

/// Flags shared by `plan` and `apply` that shape the plan.
struct PlanFlags: ParsableArguments {
    @Flag(name: .long, help: "Delete resources BizOne created that are no longer declared.")
    var prune = false

    @Option(name: .long, help: "Allow deleting a resource whose lifecycle.prune is confirm (repeatable, e.g. user/bob).")
    var confirmDelete: [String] = []

    @Flag(name: .long, help: "Allow a plan that deletes more than 25% of managed resources, or replaces an approved template.")
    var force = false

    @Option(name: .long, help: "Compare templates with Meta before planning (--refresh=false plans from the state file alone).")
    var refresh = true

    func options() throws -> PlanOptions {
        var confirmed = Set<ResourceID>()
        for text in confirmDelete {
            guard let id = ResourceID(parsing: text) else {
                throw ValidationError("--confirm-delete \(text): expected kind/name (templates: template/name@language)")
            }
            confirmed.insert(id)
        }
        return PlanOptions(prune: prune, confirmedDeletes: confirmed, force: force)
    }
}
