/// Everything declared in the loaded files, validated and sorted in apply order.
public struct DesiredState: Sendable {
    public let resources: [Resource]
    private let index: [ResourceID: Int]

    public init(resources: [Resource]) {
        self.resources = resources.sorted { $0.id < $1.id }
        var index: [ResourceID: Int] = [:]
        for (offset, resource) in self.resources.enumerated() { index[resource.id] = offset }
        self.index = index
    }

    public subscript(id: ResourceID) -> Resource? { index[id].map { resources[$0] } }

    public func resources(of kind: ResourceKind) -> [Resource] { resources.filter { $0.kind == kind } }

    public var count: Int { resources.count }
}
