import BizOneModel
import Foundation
import MetaGraph

/// `POST /_emulator/inbound`: a user message, which opens the user's 24-hour window and posts a
/// `messages` webhook with `contacts` and `messages` (reference §13, §15.2, §18.4).
extension EmulatorState {
    static let inboundReserved: Set<String> = ["from", "name", "text", "type", "userId", "user_id", "username", "countryCode",
                                               "country_code", "message"]

    /// `body` is an `InboundRequest`, optionally with a raw `message` object and type objects
    /// (`button`, `interactive`, `context`, ...) that go into the message as given.
    func inbound(_ body: JSONValue) throws -> InboundResult {
        guard let fields = body.objectValue else { throw EmulatorControlError.badRequest("the body must be a JSON object") }
        let from = fields["from"]?.textValue.flatMap { $0.isEmpty ? nil : $0 }
        let userID = (fields["userId"] ?? fields["user_id"])?.textValue.flatMap { $0.isEmpty ? nil : $0 }
        var waID = ""
        if let from {
            guard let recipient = Recipient(from), recipient.userID == nil else {
                throw EmulatorControlError.badRequest("`from` must be a phone number such as +6281234567890")
            }
            waID = recipient.waID
        }
        guard !waID.isEmpty || userID != nil else { throw EmulatorControlError.badRequest("give `from` (a phone number) or `userId`") }

        var message = fields["message"]?.objectValue ?? [:]
        for (key, value) in fields where !Self.inboundReserved.contains(key) { message[key] = value }
        if let text = fields["text"] {
            switch text {
            case .string(let body): message["text"] = .object(["body": .string(body)])
            case .object: message["text"] = text
            default: throw EmulatorControlError.badRequest("`text` must be a string")
            }
        }
        guard let type = fields["type"]?.textValue ?? message["type"]?.textValue ?? (message["text"] != nil ? "text" : nil) else {
            throw EmulatorControlError.badRequest("give `text`, or `type` with the message object of that type")
        }
        if type == "text", message["text"]?["body"]?.textValue == nil {
            throw EmulatorControlError.badRequest("a text message needs `text`")
        }
        let time = now
        let id = message["id"]?.textValue ?? ids.wamid(user: waID.isEmpty ? (userID ?? "") : waID, inbound: true)
        message["type"] = .string(type)
        message["from"] = .string(waID)
        message["id"] = .string(id)
        message["timestamp"] = .string(String(Int(time)))
        if let userID { message["from_user_id"] = .string(userID) }

        if !waID.isEmpty { windows[waID] = time }
        if let userID { windows[userID] = time }
        stats.inboundMessages += 1

        let profile = WebhookContact.Profile(name: fields["name"]?.textValue,
                                             username: fields["username"]?.textValue,
                                             countryCode: (fields["countryCode"] ?? fields["country_code"])?.textValue)
        let contact = WebhookContact(profile: profile, waID: waID, userID: userID)
        let raw = JSONValue.object(message)
        emit({ try factory.inbound(contact: contact, message: raw) }, field: "messages")
        return InboundResult(id: id, waID: waID, userID: userID, windowExpiresAt: Int(time + Self.day))
    }
}
