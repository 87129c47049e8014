import Foundation

/// What the engine knows when an apply run starts.
public struct ApplyRunStart: Sendable, Hashable {
    public var id: String
    /// The git revision the desired state came from, when known.
    public var revision: String?
    public var actor: String
    public var startedAt: Date
    /// The state serial the applied plan was made against.
    public var planSerial: Int

    public init(id: String = UUID().uuidString.lowercased(), revision: String?, actor: String, startedAt: Date, planSerial: Int) {
        self.id = id
        self.revision = revision
        self.actor = actor
        self.startedAt = startedAt
        self.planSerial = planSerial
    }
}
