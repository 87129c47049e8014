/// What the state file says was applied: the planner's "observed" side for local kinds.
public struct AppliedResource: Sendable, Hashable, Codable {
    public var id: ResourceID
    public var content: JSONValue
    public var contentHash: String
    /// Created by BizOne, so BizOne may delete it (with `--prune`).
    public var managed: Bool

    public init(id: ResourceID, content: JSONValue, contentHash: String, managed: Bool) {
        self.id = id
        self.content = content
        self.contentHash = contentHash
        self.managed = managed
    }
}

public struct ObservedState: Sendable {
    /// The lineage of a state that does not exist yet: `plan` before the first apply reads an
    /// empty state without creating the file, and its saved plan may be applied to the file
    /// the apply creates (the serial still has to match).
    public static let noLineage = ""

    public var lineage: String
    public var serial: Int
    public var resources: [ResourceID: AppliedResource]

    public init(lineage: String, serial: Int, resources: [ResourceID: AppliedResource]) {
        self.lineage = lineage
        self.serial = serial
        self.resources = resources
    }
}

/// Flags that shape a plan.
public struct PlanOptions: Sendable, Hashable {
    public var prune: Bool
    public var confirmedDeletes: Set<ResourceID>
    public var force: Bool

    public init(prune: Bool = false, confirmedDeletes: Set<ResourceID> = [], force: Bool = false) {
        self.prune = prune
        self.confirmedDeletes = confirmedDeletes
        self.force = force
    }
}
