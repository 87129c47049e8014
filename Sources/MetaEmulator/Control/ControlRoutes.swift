import BizOneModel
import Foundation
import Hummingbird

/// `/_emulator/...`: no token, JSON in and out (camelCase keys).
///
/// | Method | Path | Body | Does |
/// |---|---|---|---|
/// | GET | `/_emulator/health` | | `{"status":"ok"}` |
/// | GET | `/_emulator/templates` | | every template's full state |
/// | POST | `/_emulator/templates/{id}/approve` | `{"category"?}` | APPROVED (+ recategorised) with webhooks |
/// | POST | `/_emulator/templates/{id}/reject` | `{"reason"?, "rejectionReason"?, "recommendation"?}` | REJECTED with webhook |
/// | POST | `/_emulator/templates/{id}/pause` | | PAUSED (third pause: DISABLED) |
/// | POST | `/_emulator/templates/{id}/unpause` | | APPROVED again |
/// | POST | `/_emulator/templates/{id}/disable` | | DISABLED |
/// | POST | `/_emulator/templates/{id}/quality` | `{"score"}` | `message_template_quality_update` |
/// | POST | `/_emulator/templates/{id}/recategorize` | `{"category"}` | `template_category_update` |
/// | GET | `/_emulator/messages` | | sent messages with their statuses |
/// | POST | `/_emulator/inbound` | `{"from","name","text"}` or `type` + message object, `userId` | opens the window, `messages` webhook |
/// | GET | `/_emulator/requests` | | the Graph request log |
/// | GET | `/_emulator/stats` | | counters |
/// | GET | `/_emulator/webhooks` | | behaviour and recent delivery attempts |
/// | POST | `/_emulator/webhooks` | `{"duplicate"?, "reorder"?, "delay"?, "url"?}` | changes the given fields |
/// | POST | `/_emulator/rules` | a rules document (JSON or YAML) | replaces the rules |
/// | POST | `/_emulator/reset` | | forgets everything |
struct ControlRoutes: Sendable {
    let control: EmulatorControl

    func register(on router: Router<BasicRequestContext>) {
        let group = router.group("_emulator")
        group.get("health") { _, _ in try Self.json(["status": "ok"]) }
        group.get("templates") { _, _ in try Self.json(await control.templates()) }
        group.post("templates/:id/:action") { request, context in
            let id = try context.parameters.require("id")
            let action = try context.parameters.require("action")
            let body = try await Self.body(request)
            switch action {
            case "approve": try await control.approve(templateID: id, category: body["category"]?.textValue)
            case "reject": try await control.reject(templateID: id, try Self.decode(RejectRequest.self, body))
            case "pause": try await control.pause(templateID: id)
            case "unpause": try await control.unpause(templateID: id)
            case "disable": try await control.disable(templateID: id)
            case "quality":
                guard let score = body["score"]?.textValue else { throw EmulatorControlError.badRequest("give `score`") }
                try await control.setQuality(templateID: id, score: score)
            case "recategorize", "recategorise":
                guard let category = body["category"]?.textValue else { throw EmulatorControlError.badRequest("give `category`") }
                try await control.recategorize(templateID: id, category: category)
            default:
                throw EmulatorControlError(.notFound, "unknown template action \(action)")
            }
            guard let snapshot = await control.templates().first(where: { $0.id == id }) else { throw EmulatorControlError.notFound(id) }
            return try Self.json(snapshot)
        }
        group.get("messages") { _, _ in try Self.json(await control.messages()) }
        group.post("inbound") { request, _ in
            try Self.json(try await control.inbound(raw: .object(try await Self.body(request))))
        }
        group.get("requests") { _, _ in try Self.json(await control.requests()) }
        group.get("stats") { _, _ in try Self.json(await control.stats()) }
        group.get("webhooks") { _, _ in
            try Self.json(WebhookState(behaviour: await control.webhookBehaviour(), pending: control.pendingWebhooks,
                                       attempts: await control.webhookAttempts()))
        }
        for path in ["webhooks", "webhook"] {
            group.post(RouterPath(stringLiteral: path)) { request, _ in
                let body = try await Self.body(request)
                var behaviour = await control.webhookBehaviour()
                if let value = body["duplicate"] {
                    guard let flag = value.boolValue else { throw EmulatorControlError.badRequest("`duplicate` must be true or false") }
                    behaviour.duplicate = flag
                }
                if let value = body["reorder"] {
                    if let flag = value.boolValue {
                        behaviour.reorder = flag ? 3 : 0
                    } else if let count = value.intValue {
                        behaviour.reorder = count
                    } else {
                        throw EmulatorControlError.badRequest("`reorder` must be a number of events (or true/false)")
                    }
                }
                if let value = body["delay"] {
                    guard let seconds = value.doubleValue, seconds >= 0 else { throw EmulatorControlError.badRequest("`delay` must be seconds >= 0") }
                    behaviour.delay = seconds
                }
                if let value = body["url"] { behaviour.url = value.isNull ? nil : value.textValue }
                await control.setWebhookBehaviour(behaviour)
                return try Self.json(behaviour)
            }
        }
        group.post("rules") { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let rules: EmulatorRules
            do {
                rules = try EmulatorRules.parse(String(decoding: buffer.readableBytesView, as: UTF8.self))
            } catch {
                throw EmulatorControlError.badRequest("\(error)")
            }
            await control.setRules(rules)
            return try Self.json(["review": rules.review.count, "recipients": rules.recipients.count])
        }
        group.post("reset") { _, _ in
            await control.reset()
            return try Self.json(["reset": true])
        }
    }

    struct WebhookState: Encodable {
        var behaviour: WebhookBehaviour
        var pending: Int
        var attempts: [WebhookAttempt]
    }

    static func body(_ request: Request) async throws -> [String: JSONValue] {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        let data = Data(buffer.readableBytesView)
        guard data.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return [:] }
        guard let value = try? JSONValue.parse(data), let object = value.objectValue else {
            throw EmulatorControlError.badRequest("the body must be a JSON object")
        }
        return object
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: [String: JSONValue]) throws -> T {
        do {
            return try JSONValue.object(body).decode(type)
        } catch {
            throw EmulatorControlError.badRequest(DecodingErrorText.describe(error))
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response.json(try encoder.encode(value))
    }
}
