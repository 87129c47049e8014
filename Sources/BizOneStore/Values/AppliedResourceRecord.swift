import BizOneModel
import Foundation

/// One applied resource with its provenance: what was applied, when, by which run, from which revision.
public struct AppliedResourceRecord: Sendable, Hashable {
    public var id: ResourceID
    /// Canonical content as applied: `{"metadata": ..., "spec": ...}`.
    public var content: JSONValue
    public var contentHash: String
    public var appliedAt: Date
    public var runID: String?
    public var revision: String?
    /// In the inventory: created by BizOne, so BizOne may delete it.
    public var managed: Bool
    /// When BizOne created it (nil when unmanaged).
    public var createdAt: Date?

    public init(id: ResourceID, content: JSONValue, contentHash: String, appliedAt: Date, runID: String?,
                revision: String?, managed: Bool, createdAt: Date?) {
        self.id = id
        self.content = content
        self.contentHash = contentHash
        self.appliedAt = appliedAt
        self.runID = runID
        self.revision = revision
        self.managed = managed
        self.createdAt = createdAt
    }

    public var kind: ResourceKind { id.kind }

    /// The planner's view of this record.
    public var applied: AppliedResource {
        AppliedResource(id: id, content: content, contentHash: contentHash, managed: managed)
    }
}
