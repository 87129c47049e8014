/// Whether BizOne may delete a resource it created once it disappears from git.
public enum PrunePolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Deleted by `apply --prune`.
    case allow
    /// Never deleted by BizOne.
    case never
    /// Deleted only when named with `--confirm-delete ID`.
    case confirm
}

public struct Lifecycle: Sendable, Hashable, Codable {
    public var prune: PrunePolicy

    public init(prune: PrunePolicy = .allow) { self.prune = prune }

    public static let schema = ObjectSchema("What BizOne may do to this resource when it leaves git.", [
        Property("prune", .oneOf(PrunePolicy.allCases.map(\.rawValue)), default: .string("allow"),
                 "allow: deleted by apply --prune; confirm: also needs --confirm-delete ID; never: never deleted."),
    ])
}
