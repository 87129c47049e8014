import Foundation
import Hummingbird
import MetaGraph

/// A refusal in Meta's error envelope (reference §17). It chooses its own HTTP status; the
/// emulator's middleware adds the seeded `fbtrace_id`, the `x-fb-trace-id` header and
/// `Retry-After` for rate limits, and counts the code.
struct EmulatorGraphError: Error, HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var body: GraphErrorBody
    /// Seconds, for the `Retry-After` header of rate-limit errors.
    var retryAfter: Int?

    init(status: HTTPResponse.Status = .badRequest, code: Int, message: String, type: String = "OAuthException",
         subcode: Int? = nil, details: String? = nil, userTitle: String? = nil, userMessage: String? = nil,
         isTransient: Bool? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.body = GraphErrorBody(message: message, type: type, code: code, errorSubcode: subcode,
                                   errorData: details.map { GraphErrorBody.ErrorData(details: $0) },
                                   errorUserTitle: userTitle, errorUserMsg: userMessage, isTransient: isTransient)
        self.retryAfter = retryAfter
    }

    var code: Int { body.code }

    /// The response with a given trace id.
    func response(traceID: String) -> Response {
        var body = self.body
        body.fbtraceID = traceID
        let data = (try? MetaJSON.encode(GraphErrorEnvelope(error: body))) ?? Data("{}".utf8)
        var response = Response.json(data, status: status)
        response.headers[.init("x-fb-trace-id")!] = traceID
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    /// Used only if the error escapes the emulator's middleware.
    func response(from request: Request, context: some RequestContext) throws -> Response {
        response(traceID: "AEmulatorUnseededTrace0")
    }
}

extension Response {
    /// `Content-Type: application/json; charset=UTF-8` with the given bytes.
    static func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=UTF-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
