import BizOneModel
import Foundation

/// The OpenAPI 3.1 document of every `/api` route serve registers (`GET /api/openapi.json`).
///
/// Each route is described here once (`operations`); the document is assembled from the
/// registered route declarations, so a route registered without a description stops serve from
/// starting (like a route without a guard), and what a route requires (open, signed in, a
/// permission) comes from its declaration, never restated. Webhook receivers are described
/// from the configured endpoints. `RouteGuardTests` and a schemathesis run keep it true.
enum OpenAPIDocument {
    static let path = "/api/openapi.json"

    struct Operation {
        var summary: String
        var tag: String
        var query: [(name: String, schema: JSONValue)] = []
        var body: JSONValue?
        /// Status -> response body schema (nil: no body); the guard's and the body parser's
        /// answers are added from the declaration.
        var responses: [Int: JSONValue?]
        /// The success body is not JSON (`text/event-stream`, `text/plain`).
        var contentType = "application/json"
        /// Every answer of its own is in `contentType` (the webhook receiver answers text).
        var allInContentType = false
    }

    struct Undocumented: Error, CustomStringConvertible {
        var routes: [String]
        var description: String { "routes without an OpenAPI description: \(routes.joined(separator: ", "))" }
    }

    /// The document as JSON text; throws `Undocumented` when a declared route has no description.
    static func render(declarations: [RouteDeclaration], webhookPaths: [String]) throws -> Data {
        var paths: [String: JSONValue] = [:]
        var missing: [String] = []
        for declaration in declarations where declaration.path.hasPrefix("/api") {
            let key = "\(declaration.method) \(declaration.path)"
            guard let operation = operations[key] ?? webhookOperation(declaration, webhookPaths: webhookPaths) else {
                missing.append(key)
                continue
            }
            guard case .object(var item) = paths[declaration.path] ?? .object([:]) else { continue }
            item[declaration.method.lowercased()] = describe(operation, declaration)
            paths[declaration.path] = .object(item)
        }
        guard missing.isEmpty else { throw Undocumented(routes: missing.sorted()) }
        let document: JSONValue = [
            "openapi": "3.1.0",
            "info": ["title": "BizOne", "version": "1",
                     "description": "The team's API of bizone serve: sign-in, the inbox, operators' reads and actions."],
            "paths": .object(paths),
            "components": ["securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]], "schemas": ["Error": Schemas.error]],
        ]
        return Data(document.canonicalString.utf8)
    }

    static func describe(_ operation: Operation, _ declaration: RouteDeclaration) -> JSONValue {
        var responses: [Int: JSONValue?] = operation.responses
        let errorRef: JSONValue = ["$ref": "#/components/schemas/Error"]
        switch declaration.access {
        case .open: break
        case .signedIn, .enrolment, .permission:
            responses[401] = errorRef
            if case .enrolment = declaration.access {} else { responses[403] = errorRef }
        }
        if operation.body != nil {
            responses[400] = errorRef
            responses[413] = errorRef
        }
        if !operation.query.isEmpty { responses[400] = errorRef }
        let parameterNames = declaration.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
        if !parameterNames.isEmpty, responses[404] == nil, declaration.path.hasPrefix("/api/") { responses[404] = errorRef }
        var item: [String: JSONValue] = [
            "summary": .string(operation.summary),
            "tags": [.string(operation.tag)],
            "operationId": .string(operationID(declaration)),
            "responses": .object(Dictionary(uniqueKeysWithValues: responses.map { status, schema in
                let own = status < 300 || (operation.allInContentType && operation.responses.keys.contains(status))
                return (String(status), response(status, schema, contentType: own ? operation.contentType : "application/json"))
            })),
        ]
        if case .open = declaration.access {
            item["security"] = []
        } else {
            item["security"] = [["bearer": []]]
        }
        var parameters: [JSONValue] = parameterNames.map { ["name": .string($0), "in": "path", "required": .bool(true), "schema": Schemas.string] }
        parameters += operation.query.map { ["name": .string($0.name), "in": "query", "required": .bool(false), "schema": $0.schema] }
        if !parameters.isEmpty { item["parameters"] = .array(parameters) }
        if let body = operation.body {
            item["requestBody"] = ["required": .bool(true), "content": ["application/json": ["schema": body]]]
        }
        return .object(item)
    }

    static func response(_ status: Int, _ schema: JSONValue?, contentType: String) -> JSONValue {
        let description: JSONValue = .string(HTTPStatusText.text(status))
        guard let schema else { return ["description": description] }
        return ["description": description, "content": [.init(stringLiteral: contentType): ["schema": schema]]]
    }

    static func operationID(_ declaration: RouteDeclaration) -> String {
        let words = declaration.path.split(separator: "/").dropFirst().map { part in
            part.hasPrefix("{") ? "By" + part.dropFirst().dropLast().capitalized : part.split(separator: "-").map(\.capitalized).joined()
        }
        return declaration.method.lowercased() + words.joined().replacingOccurrences(of: ".", with: "")
    }

    /// Meta's webhook callback at a configured path (and its `/meta` twin).
    static func webhookOperation(_ declaration: RouteDeclaration, webhookPaths: [String]) -> Operation? {
        guard webhookPaths.contains(declaration.path) else { return nil }
        let text: JSONValue = Schemas.string
        switch declaration.method {
        case "GET":
            return Operation(summary: "Meta's webhook verification: answers hub.challenge for the right hub.verify_token", tag: "webhooks",
                             query: [("hub.mode", Schemas.string), ("hub.verify_token", Schemas.string), ("hub.challenge", Schemas.string)],
                             responses: [200: text, 403: nil], contentType: "text/plain", allInContentType: true)
        case "POST":
            return Operation(summary: "Meta's webhook events: signed (X-Hub-Signature-256), stored durably before the 200", tag: "webhooks",
                             responses: [200: nil, 400: text, 401: text, 413: nil, 503: text], contentType: "text/plain",
                             allInContentType: true)
        default:
            return nil
        }
    }
}

/// Reason phrases for the document's response descriptions.
enum HTTPStatusText {
    static func text(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request: the body or a query parameter, named"
        case 401: "Unauthorized: sign in (Bearer token), or the credential is wrong"
        case 403: "Forbidden: the missing permission, named"
        case 404: "Not Found"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 422: "Unprocessable: a rule of the request, named"
        case 429: "Too Many Requests (Retry-After)"
        case 503: "Service Unavailable"
        default: "HTTP \(status)"
        }
    }
}
