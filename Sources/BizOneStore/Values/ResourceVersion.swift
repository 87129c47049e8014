/// An applied resource's id and content hash: enough to tell whether it changed.
public struct ResourceVersion: Sendable, Hashable {
    public var id: String
    public var contentHash: String

    public init(id: String, contentHash: String) {
        self.id = id
        self.contentHash = contentHash
    }
}
