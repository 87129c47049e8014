/// What a plan will do to one resource (DESIGN.md §4).
public enum PlanAction: String, Sendable, Hashable, Codable, CaseIterable {
    case create
    case update
    case replace
    case delete
    /// Recorded into state and inventory as it already is at Meta, without a remote call (a
    /// create that finished at Meta before a crash, or an imported template).
    case adopt
    /// Known but not actionable yet (templates until the Meta client lands); never counted as a change.
    case pending

    /// Terraform's symbols.
    public var symbol: String {
        switch self {
        case .create: return "+"
        case .update: return "~"
        case .replace: return "-/+"
        case .delete: return "-"
        case .adopt: return "<="
        case .pending: return "?"
        }
    }

    public var verb: String {
        switch self {
        case .create: return "will be created"
        case .update: return "will be updated in place"
        case .replace: return "must be replaced"
        case .delete: return "will be destroyed"
        case .adopt: return "will be adopted"
        case .pending: return "is pending"
        }
    }
}
