import Foundation

/// What a would-be writer says about itself when asking for the state lock.
public struct LockRequest: Sendable, Hashable {
    /// A fresh UUID string per process; acquiring again with the same id is a no-op.
    public var id: String
    public var operation: String
    public var who: String
    public var pid: Int
    public var host: String

    public init(id: String = UUID().uuidString.lowercased(), operation: String, who: String,
                pid: Int = Int(ProcessInfo.processInfo.processIdentifier),
                host: String = ProcessInfo.processInfo.hostName) {
        self.id = id
        self.operation = operation
        self.who = who
        self.pid = pid
        self.host = host
    }
}
