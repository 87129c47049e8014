import Foundation
import Hummingbird

/// A refused control action (unknown template, wrong state, bad input), as
/// `{"error": "..."}` with its HTTP status.
public struct EmulatorControlError: Error, HTTPResponseError, CustomStringConvertible, Sendable {
    public var status: HTTPResponse.Status
    public var message: String

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    static func notFound(_ id: String) -> EmulatorControlError { .init(.notFound, "no template with id \(id)") }

    static func conflict(_ message: String) -> EmulatorControlError { .init(.conflict, message) }

    static func badRequest(_ message: String) -> EmulatorControlError { .init(.badRequest, message) }

    public func response(from request: Request, context: some RequestContext) throws -> Response { jsonResponse }

    var jsonResponse: Response {
        let data = (try? JSONEncoder().encode(["error": message])) ?? Data()
        return Response.json(data, status: status)
    }
}
