import BizOneModel
import Foundation
import Hummingbird

/// An error a route answers with: it picks its status and a JSON body `{"error": code,
/// "message": text}` that names what was wrong (a field path for bad JSON) and never a secret.
public struct ApiError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(status, ["error": code, "message": message])
        response.headers.append(contentsOf: headers)
        return response
    }

    static func badRequest(_ message: String) -> ApiError { ApiError(.badRequest, "bad_request", message) }

    static let unauthenticated = ApiError(.unauthorized, "unauthenticated", "sign in first: send Authorization: Bearer <access token>",
                                          headers: [.wwwAuthenticate: "Bearer"])

    static func forbidden(_ missing: Permission) -> ApiError {
        ApiError(.forbidden, "forbidden", "your roles do not grant \(missing)")
    }
}
