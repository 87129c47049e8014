import BizOneModel

/// Errors that stop a plan or an apply before anything changes.
public enum EngineError: Error, CustomStringConvertible, Sendable {
    case stalePlan(planSerial: Int, stateSerial: Int)
    case otherState(planLineage: String, stateLineage: String)
    case refused([Diagnostic])
    case inputChanged(ResourceID, String)

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
        }
    }
}
