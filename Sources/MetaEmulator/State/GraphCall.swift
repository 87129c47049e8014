import BizOneModel
import Foundation

/// One authenticated Graph API request, parsed: method, version, node, edge and parameters
/// (query parameters overlaid by the JSON or form body, as Graph merges them).
struct GraphCall: Sendable {
    var method: String
    var version: APIVersion
    var node: String
    var edge: String?
    /// Path components after the edge: always an unknown path.
    var rest: [String]
    var query: QueryString
    var parameters: [String: JSONValue]
    /// The token the caller used (for `paging.next` URLs, which carry it like Meta's do).
    var token: String
    /// `http://host:port` as the caller reached us.
    var origin: String

    func text(_ key: String) -> String? { parameters[key]?.textValue }
}

/// A successful Graph answer: status 200 and a JSON body, plus extra headers.
struct GraphReply: Sendable {
    var body: Data
    var headers: [(name: String, value: String)] = []

    static func encode<T: Encodable>(_ value: T) throws -> GraphReply {
        GraphReply(body: try MetaJSONEncoding.encode(value))
    }
}
