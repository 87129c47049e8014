import Foundation

/// Who holds the single-writer lock, with enough detail to judge whether it is stale.
public struct LockInfo: Sendable, Hashable, Codable {
    /// A UUID string chosen by the holder; `bizone state unlock ID` names it.
    public var id: String
    /// What the holder is doing ("apply").
    public var operation: String
    /// The actor (CI job, user@host).
    public var who: String
    public var pid: Int
    public var host: String
    public var createdAt: Date

    public init(id: String, operation: String, who: String, pid: Int, host: String, createdAt: Date) {
        self.id = id
        self.operation = operation
        self.who = who
        self.pid = pid
        self.host = host
        self.createdAt = createdAt
    }
}
