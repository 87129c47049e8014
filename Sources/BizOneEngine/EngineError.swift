import BizOneModel

/// Errors that stop a plan or an apply before anything changes.
public enum EngineError: Error, CustomStringConvertible, Sendable {
    case stalePlan(planSerial: Int, stateSerial: Int)
    case otherState(planLineage: String, stateLineage: String)
    case refused([Diagnostic])
    case inputChanged(ResourceID, String)
    case noMeta(ResourceID, [String: String])
    case missingInput(ResourceID, String)

    public var description: String {
        switch self {
        case let .stalePlan(planSerial, stateSerial):
            return "saved plan is stale: it was made against state serial \(planSerial), but the state is now at serial \(stateSerial); run bizone plan again"
        case let .otherState(planLineage, stateLineage):
            return "saved plan was made for another state file (lineage \(planLineage), this state is \(stateLineage))"
        case .refused(let diagnostics):
            return "plan refused:\n" + diagnostics.errors.map { "  \($0)" }.joined(separator: "\n")
        case let .inputChanged(id, path):
            return "\(id): \(path) changed since the plan was made; run bizone plan again"
        case let .noMeta(id, unavailable):
            let why = unavailable.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "; ")
            return "\(id): no connection to Meta\(why.isEmpty ? "" : " (\(why))")"
        case let .missingInput(id, what):
            return "\(id): the plan lacks \(what)"
        }
    }
}
