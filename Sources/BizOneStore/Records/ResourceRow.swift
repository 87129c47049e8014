import BizOneModel
import Foundation
import GRDB

/// A row of `resources`: one applied resource, keyed by its printed `ResourceID`.
struct ResourceRow: StoreRow {
    static let databaseTableName = "resources"

    var id: String
    /// `ResourceKind.rawValue` ("Template").
    var kind: String
    var name: String
    var language: String?
    /// Canonical JSON (sorted keys), exactly what was hashed.
    var content: String
    var contentHash: String
    var appliedAt: Date
    var applyRunID: String?
    var revision: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, name, language, content, revision
        case contentHash = "content_hash"
        case appliedAt = "applied_at"
        case applyRunID = "apply_run_id"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let kind = Column(CodingKeys.kind)
        static let name = Column(CodingKeys.name)
        static let contentHash = Column(CodingKeys.contentHash)
    }

    init(id: ResourceID, content: JSONValue, contentHash: String, appliedAt: Date, runID: String?, revision: String?) throws {
        self.id = id.description
        self.kind = id.kind.rawValue
        self.name = id.name
        self.language = id.language
        self.content = String(decoding: try content.canonicalData(), as: UTF8.self)
        self.contentHash = contentHash
        self.appliedAt = appliedAt
        self.applyRunID = runID
        self.revision = revision
    }

    func resourceID() throws -> ResourceID {
        guard let kind = ResourceKind(rawValue: kind) else {
            throw StoreError.corrupt("resource \(id) has unknown kind \(kind)")
        }
        return ResourceID(kind: kind, name: name, language: language)
    }

    func contentValue() throws -> JSONValue {
        do {
            return try JSONValue.parse(Data(content.utf8))
        } catch {
            throw StoreError.corrupt("resource \(id) content is not JSON: \(error)")
        }
    }
}

/// `id, content_hash` of a `resources` row (`StateStore.appliedVersions(of:)`).
struct ResourceVersionRow: Decodable, FetchableRecord {
    var id: String
    var contentHash: String

    enum CodingKeys: String, CodingKey {
        case id
        case contentHash = "content_hash"
    }
}
