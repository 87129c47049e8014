import BizOneEngine
import BizOneModel
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MetaGraph

/// `GET` (verify handshake, reference §11.1) and `POST` (signed events, §11.2, §16) on every
/// webhook endpoint path and its `/meta` twin.
struct WebhookRoutes: Sendable {
    let endpoints: [WebhookEndpoint]
    let maxBodyBytes: Int
    let writer: EventWriter
    let metrics: ServerMetrics

    static let signatureHeader = HTTPField.Name(WebhookSignature.header)!

    func register(on router: inout GuardedRouter) {
        for endpoint in endpoints {
            for path in endpoint.routePaths {
                router.get(path, .open(reason: "Meta's verify handshake: answers only with the right verify token")) { request, context, _ in
                    self.handshake(request, endpoint: endpoint, context: context)
                }
                router.post(path, .open(reason: "Meta's webhooks: X-Hub-Signature-256 over the body is checked")) { request, context, _ in
                    try await self.receive(request, endpoint: endpoint, path: path, context: context)
                }
            }
        }
    }

    /// `hub.mode=subscribe` and the right `hub.verify_token` -> 200 with the raw challenge.
    func handshake(_ request: Request, endpoint: WebhookEndpoint, context: ServerContext) -> Response {
        let query = QueryItems(request.uri.query)
        guard query["hub.mode"] == "subscribe",
              let expected = endpoint.verifyToken, !expected.isEmpty,
              let given = query["hub.verify_token"], ConstantTime.equals(given, expected)
        else {
            context.logger.warning("webhook verification refused", metadata: ["integration": "\(endpoint.integration)"])
            return Response(status: .forbidden)
        }
        context.logger.info("webhook verified", metadata: ["integration": "\(endpoint.integration)"])
        return Self.text(.ok, query["hub.challenge"] ?? "")
    }

    /// Size limit, signature, envelope; then durable (group commit) before the 200.
    func receive(_ request: Request, endpoint: WebhookEndpoint, path: String, context: ServerContext) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
            context.logger.warning("webhook body too large", metadata: ["integration": "\(endpoint.integration)", "bytes": "\(length)"])
            return Self.tooLarge()
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBodyBytes)
        } catch let error as any HTTPResponseError {
            context.logger.warning("webhook body refused", metadata: ["integration": "\(endpoint.integration)",
                                                                      "status": "\(error.status.code)"])
            return error.status == .contentTooLarge ? Self.tooLarge() : Response(status: error.status)
        }
        let body = Data(buffer.readableBytesView)

        guard WebhookSignature.verify(body, header: request.headers[Self.signatureHeader], secret: endpoint.appSecret) else {
            metrics.signatureFailure()
            let reason = request.headers[Self.signatureHeader] == nil ? "missing" : "mismatch"
            context.logger.warning("webhook signature refused", metadata: ["integration": "\(endpoint.integration)",
                                                                           "reason": "\(reason)", "bytes": "\(body.count)"])
            return Self.text(.unauthorized, "invalid signature")
        }

        let (event, items) = Self.admit(body, path: path)
        let id: Int64
        do {
            id = try await writer.append(event, items: items)
        } catch EventWriterError.stopped {
            return Self.text(.serviceUnavailable, "shutting down")
        } catch {
            return Self.text(.internalServerError, "event log unavailable")
        }
        if let reason = event.rejectReason {
            context.logger.warning("webhook stored as rejected", metadata: [
                "integration": "\(endpoint.integration)", "event_id": "\(id)", "bytes": "\(body.count)", "reason": "\(reason)",
            ])
            return Self.text(.badRequest, "not a webhook envelope: \(reason)")
        }
        context.logger.debug("webhook stored", metadata: [
            "integration": "\(endpoint.integration)", "event_id": "\(id)", "bytes": "\(body.count)",
        ])
        return Response(status: .ok)
    }

    /// The event to store for a signed body and, for an envelope, its decoded items. The body is
    /// parsed once: the envelope check and the decoder share the tree, and the items go to the
    /// processor with the event so it does not parse the stored body again. `receivedAt` is
    /// what the log keeps (milliseconds), so items decoded here and from the log are equal.
    static func admit(_ body: Data, path: String, now: Date = Date()) -> (IncomingWebhook, [DecodedItem]?) {
        let receivedAt = Timestamps.truncatedToMilliseconds(now)
        let verdict: WebhookEnvelope.Verdict
        var items: [DecodedItem]?
        switch WebhookEnvelope.parse(body) {
        case .success(let root):
            verdict = WebhookEnvelope.check(root)
            if verdict == .envelope { items = try? EventDecoder.decodeItems(root: root, receivedAt: receivedAt) }
        case .failure(let rejected):
            verdict = rejected.verdict
        }
        switch verdict {
        case .envelope:
            return (IncomingWebhook(receivedAt: receivedAt, path: path, body: body, outcome: .accepted), items)
        case .rejected(let reason):
            return (IncomingWebhook(receivedAt: receivedAt, path: path, body: body, outcome: .rejected, rejectReason: reason), nil)
        }
    }

    /// 413 with `Connection: close`: the rest of the body is never read, so the connection
    /// cannot carry another request, and the client learns it at once instead of waiting on
    /// an upload nobody reads (`ConnectionLifetimeHandler` closes after this answer).
    static func tooLarge() -> Response {
        Response(status: .contentTooLarge, headers: [.connection: "close"])
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
