import Foundation

/// Everything the planner needs to plan templates against Meta. Built by the engine (which
/// talks to Meta and the store); the planner only reads it.
public struct TemplateObservationSet: Sendable {
    public var records: [ResourceID: TemplateRecord]
    /// Meta's templates of the managed integration(s); nil when not refreshed (`--refresh=false`).
    public var remote: [ResourceID: RemoteTemplate]?
    /// Fingerprints of the desired templates, computed with Meta's component mapping.
    public var desiredFingerprints: [ResourceID: String]
    /// Creations Meta accepted in the last hour (for the 100-per-hour limit).
    public var createsInLastHour: [Date]
    /// Meta's limit is 100; emulator runs and benchmarks raise it.
    public var createsPerHour: Int
    public var now: Date

    public init(records: [ResourceID: TemplateRecord], remote: [ResourceID: RemoteTemplate]?,
                desiredFingerprints: [ResourceID: String], createsInLastHour: [Date], now: Date,
                createsPerHour: Int = TemplateLimits.createsPerHour) {
        self.createsPerHour = createsPerHour
        self.records = records
        self.remote = remote
        self.desiredFingerprints = desiredFingerprints
        self.createsInLastHour = createsInLastHour
        self.now = now
    }
}

/// A template that differs at Meta from what BizOne last applied (edited in WhatsApp Manager).
public struct DriftItem: Sendable, Hashable, Codable {
    public var id: ResourceID
    public var description: String

    public init(id: ResourceID, description: String) {
        self.id = id
        self.description = description
    }
}
