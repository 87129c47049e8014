import BizOneModel
import Foundation
import HTTPTypes
import Hummingbird

/// Every Graph API path (`/{version}/{node}[/{edge}]`, the version optional): parses the
/// request, checks the token and hands the call to the state actor.
struct GraphRoutes: Sendable {
    let state: EmulatorState
    let accessToken: String
    let defaultVersion: APIVersion

    static let maxBody = 8 << 20

    func register(on router: Router<BasicRequestContext>) {
        for path in ["/:p1", "/:p1/:p2", "/:p1/:p2/:p3", "/:p1/:p2/:p3/:p4"] {
            for method in [HTTPRequest.Method.get, .post, .delete] {
                router.on(RouterPath(path), method: method) { request, context in
                    try await self.handle(request, context: context)
                }
            }
        }
    }

    func handle(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let path = request.uri.path
        var segments = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        if segments.first == "_emulator" { throw EmulatorControlError(.notFound, "no such control endpoint: \(path)") }
        var version = defaultVersion
        if let first = segments.first, let parsed = APIVersion(first) {
            version = parsed
            segments.removeFirst()
        }
        let query = QueryString(parsing: request.uri.query)
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maxBody)
        let parsed = Result { try Self.parseBody(Data(buffer.readableBytesView), contentType: request.headers[.contentType]) }

        // The token first, as Graph does: a bad body with a bad token is a token error.
        let token = Self.bearer(request.headers[.authorization]) ?? query["access_token"]
            ?? (try? parsed.get())?["access_token"]?.textValue
        guard let token, !token.isEmpty else { throw EmulatorGraphError.missingToken() }
        guard ConstantTime.equals(token, accessToken) else { throw EmulatorGraphError.invalidToken() }
        guard let node = segments.first else { throw EmulatorGraphError.unknownPath(path) }
        let body = try parsed.get()

        var parameters: [String: JSONValue] = [:]
        for pair in query.pairs where pair.key != "access_token" { parameters[pair.key] = .string(pair.value) }
        for (key, value) in body where key != "access_token" { parameters[key] = value }
        let call = GraphCall(method: request.method.rawValue, version: version, node: node, edge: segments.dropFirst().first,
                             rest: Array(segments.dropFirst(2)), query: query, parameters: parameters, token: token,
                             origin: "http://\(request.head.authority ?? "127.0.0.1")")
        let reply = try await state.handle(call)
        var response = Response.json(reply.body)
        for header in reply.headers {
            if let name = HTTPField.Name(header.name) { response.headers[name] = header.value }
        }
        return response
    }

    /// `Bearer <token>` (or Graph's older `OAuth <token>`).
    static func bearer(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, ["bearer", "oauth"].contains(parts[0].lowercased()) else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// A JSON object, or form fields whose JSON-looking values (`components=[...]`) are parsed.
    static func parseBody(_ data: Data, contentType: String?) throws -> [String: JSONValue] {
        guard data.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return [:] }
        if contentType?.lowercased().contains("application/x-www-form-urlencoded") == true {
            var fields: [String: JSONValue] = [:]
            for pair in QueryString(parsing: String(decoding: data, as: UTF8.self)).pairs {
                let value = pair.value
                if let first = value.first, first == "[" || first == "{",
                   let parsed = try? JSONValue.parse(Data(value.utf8)) {
                    fields[pair.key] = parsed
                } else {
                    fields[pair.key] = .string(value)
                }
            }
            return fields
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw EmulatorGraphError.invalidJSON("The request body is not valid JSON.")
        }
        guard let object = value.objectValue else { throw EmulatorGraphError.invalidJSON("The request body must be a JSON object.") }
        return object
    }
}
