import BizOneModel
import Foundation
import MetaGraph

/// Turns a stored webhook body into typed items (reference §8, §12-§15).
///
/// Pure and forgiving: unknown fields and message types are items (`.unknown`, or an inbound
/// message with its raw object), never errors. Each `messages` item is decoded on its own with
/// MetaGraph's wire types, so one odd status or message cannot hide the others of the same POST;
/// what still cannot be read becomes `.malformed`. Only a body that is not a webhook envelope at
/// all throws.
public enum EventDecoder {
    public struct DecodeError: Error, CustomStringConvertible, Sendable, Hashable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// The items of one POST in document order. `receivedAt` stands in for a message timestamp
    /// Meta left out or sent unreadable.
    public static func decode(_ body: Data, receivedAt: Date? = nil) throws -> [WebhookItem] {
        try decodeItems(body, receivedAt: receivedAt).map(\.item)
    }

    /// Like `decode`, with where each item came from (for routes bound to one integration).
    public static func decodeItems(_ body: Data, receivedAt: Date? = nil) throws -> [DecodedItem] {
        let root: JSONValue
        do {
            root = try JSONValue.parse(body)
        } catch {
            throw DecodeError("body is not JSON (\(error))")
        }
        return try decodeItems(root: root, receivedAt: receivedAt)
    }

    /// Like `decodeItems(_:receivedAt:)` for a body already parsed (the server parses once, for
    /// the envelope check and for this).
    public static func decodeItems(root: JSONValue, receivedAt: Date? = nil) throws -> [DecodedItem] {
        guard case .array(let entries)? = root["entry"] else {
            throw DecodeError("body has no entry array: not a webhook envelope")
        }
        var items: [DecodedItem] = []
        for entry in entries {
            let time = entry["time"].flatMap(Self.seconds).map { Date(timeIntervalSince1970: $0) }
            let account = entry["id"].flatMap(Self.idString) ?? ""
            guard case .array(let changes)? = entry["changes"] else { continue }
            for change in changes {
                let field = change["field"]?.stringValue ?? ""
                let value = change["value"] ?? .null
                let source = WebhookSource(businessAccountID: account,
                                           phoneNumberID: value["metadata"]?["phone_number_id"].flatMap(Self.idString))
                items += decodeChange(field: field, value: value, entryTime: time, receivedAt: receivedAt)
                    .map { DecodedItem(item: $0, source: source) }
            }
        }
        return items
    }

    static func decodeChange(field: String, value: JSONValue, entryTime: Date?, receivedAt: Date?) -> [WebhookItem] {
        // Meta's own quality example is labelled message_template_status_update: the payload decides (§8.2).
        if value["new_quality_score"] != nil {
            return [templateItem(field: field, value: value, entryTime: entryTime)]
        }
        switch field {
        case "messages":
            return messagesItems(value, receivedAt: receivedAt)
        case "message_template_status_update", "message_template_quality_update", "template_category_update":
            return [templateItem(field: field, value: value, entryTime: entryTime)]
        default:
            return [.unknown(field: field)]
        }
    }

    // MARK: - messages

    static func messagesItems(_ value: JSONValue, receivedAt: Date?) -> [WebhookItem] {
        var items: [WebhookItem] = []
        let metadata = try? value["metadata"]?.decodeTree(WebhookMetadata.self)
        let contacts = (value["contacts"]?.arrayItems ?? []).compactMap { try? $0.decodeTree(WebhookContact.self) }

        for raw in value["statuses"]?.arrayItems ?? [] {
            do {
                let status = try MessageStatus(tree: raw)
                guard let at = timestamp(status.timestamp) ?? receivedAt else {
                    items.append(.malformed(field: "messages",
                                            reason: "status \(status.id) has an unreadable timestamp \(status.timestamp)"))
                    continue
                }
                items.append(.status(statusEvent(status, at: at)))
            } catch {
                items.append(.malformed(field: "messages", reason: "unreadable status: \(describe(error))"))
            }
        }

        for raw in value["messages"]?.arrayItems ?? [] {
            do {
                let message = try raw.decodeTree(InboundMessage.self)
                guard let at = timestamp(message.timestamp) ?? receivedAt else {
                    items.append(.malformed(field: "messages",
                                            reason: "message \(message.id) has an unreadable timestamp \(message.timestamp)"))
                    continue
                }
                items.append(.inbound(inboundEvent(message, raw: raw, contacts: contacts,
                                                   phoneNumberID: metadata?.phoneNumberID ?? "", at: at)))
            } catch {
                items.append(.malformed(field: "messages", reason: "unreadable message: \(describe(error))"))
            }
        }

        let errors = (value["errors"]?.arrayItems ?? []).compactMap { try? $0.decodeTree(WebhookError.self) }
        if !errors.isEmpty {
            items.append(.valueErrors(field: "messages", errors: errors.map(errorInfo)))
        }
        if items.isEmpty {
            items.append(.unknown(field: "messages"))
        }
        return items
    }

    static func statusEvent(_ status: MessageStatus, at: Date) -> MessageStatusEvent {
        let error = status.errors?.first
        return MessageStatusEvent(
            wamid: status.id, status: status.status, at: at,
            recipientID: nonEmpty(status.recipientID), recipientUserID: nonEmpty(status.recipientUserID),
            callbackData: status.bizOpaqueCallbackData, errorCode: error?.code, errorTitle: error?.title ?? error?.message,
            errorDetails: error?.errorData?.details, pricingCategory: status.pricing?.category)
    }

    static func inboundEvent(_ message: InboundMessage, raw: JSONValue, contacts: [WebhookContact], phoneNumberID: String,
                             at: Date) -> InboundMessageEvent {
        let from = nonEmpty(message.from)
        let fromUserID = nonEmpty(message.fromUserID)
        let contact = contacts.first { contact in
            (from != nil && contact.waID == from) || (fromUserID != nil && contact.userID == fromUserID)
        } ?? (contacts.count == 1 ? contacts[0] : nil)
        let waID = from ?? nonEmpty(contact?.waID)
        let userID = fromUserID ?? nonEmpty(contact?.userID)
        return InboundMessageEvent(
            wamid: message.id, waID: waID ?? (userID == nil ? nil : ""), userID: userID, profileName: contact?.profile?.name,
            phoneNumberID: phoneNumberID, at: at, type: message.type, text: text(of: message), raw: raw)
    }

    /// What the user wrote or tapped: a text body, a quick-reply button's label, an
    /// interactive reply's title.
    static func text(of message: InboundMessage) -> String? {
        if let body = message.text?.body { return body }
        if let button = message.button { return button.text ?? button.payload }
        if let interactive = message.interactive {
            return interactive.buttonReply?.title ?? interactive.listReply?.title
        }
        return nil
    }

    static func errorInfo(_ error: WebhookError) -> WebhookErrorInfo {
        WebhookErrorInfo(code: error.code, title: error.title ?? error.message, details: error.errorData?.details)
    }

    // MARK: - templates

    static func templateItem(field: String, value: JSONValue, entryTime: Date?) -> WebhookItem {
        let typed: WebhookValue
        do {
            typed = try value.decode(WebhookValue.self)
        } catch {
            return .malformed(field: field, reason: "unreadable template event: \(describe(error))")
        }
        let subject = TemplateEventSubject(
            templateID: typed.messageTemplateID?.value, name: typed.messageTemplateName,
            language: typed.messageTemplateLanguage.map(normalisedLanguage), at: entryTime)
        if let score = typed.newQualityScore {
            return .templateQuality(TemplateQualityEvent(subject: subject, previousScore: typed.previousQualityScore, newScore: score))
        }
        switch field {
        case "message_template_status_update":
            guard let event = typed.event else { return .unknown(field: field) }
            var detail: String?
            if let info = typed.rejectionInfo {
                detail = info.reason + (info.recommendation.map { " Recommendation: \($0)" } ?? "")
            } else if let info = typed.otherInfo {
                detail = info.title + (info.description.map { ": \($0)" } ?? "")
            }
            let reason = typed.reason.flatMap { $0.isEmpty || $0.uppercased() == "NONE" ? nil : $0 }
            return .templateStatus(TemplateStatusEvent(subject: subject, event: event.uppercased(), reason: reason, detail: detail,
                                                       category: typed.messageTemplateCategory))
        case "template_category_update":
            if let correct = typed.correctCategory {
                return .templateCategory(TemplateCategoryEvent(
                    subject: subject, previousCategory: typed.previousCategory, newCategory: typed.newCategory,
                    upcomingCategory: correct,
                    upcomingAt: typed.categoryUpdateTimestamp.map { TimeInterval($0) }.flatMap { plausible($0) ? Date(timeIntervalSince1970: $0) : nil }))
            }
            guard typed.newCategory != nil else { return .unknown(field: field) }
            return .templateCategory(TemplateCategoryEvent(subject: subject, previousCategory: typed.previousCategory,
                                                           newCategory: typed.newCategory))
        default:
            return .unknown(field: field)
        }
    }

    /// Template webhooks write `en-US`; the Graph API and BizOne's ids use `en_US` (§19.12).
    public static func normalisedLanguage(_ language: String) -> String {
        language.replacingOccurrences(of: "-", with: "_")
    }

    // MARK: - helpers

    /// Unix seconds as Meta writes them (a string of digits).
    static func timestamp(_ text: String) -> Date? {
        guard let seconds = wholeSeconds(text) ?? Double(text.trimmingCharacters(in: .whitespaces)), plausible(seconds)
        else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// Up to 15 plain digits, what Meta sends, read without Foundation's trimming (a cost on
    /// every status); anything else is left to the general path.
    static func wholeSeconds(_ text: String) -> Double? {
        var value: Int64 = 0
        var digits = 0
        for byte in text.utf8 {
            guard byte >= 0x30, byte <= 0x39, digits < 15 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
            digits += 1
        }
        return digits == 0 ? nil : Double(value)
    }

    static func seconds(_ value: JSONValue) -> Double? {
        let seconds: Double?
        switch value {
        case .int(let number): seconds = Double(number)
        case .double(let number): seconds = number
        case .string(let text): seconds = Double(text)
        default: seconds = nil
        }
        return seconds.flatMap { plausible($0) ? $0 : nil }
    }

    /// A time a webhook can mean: from 1970 to about the year 5000. Anything else (negative,
    /// `nan`, `1e300`) is treated as missing rather than carried into the state.
    static func plausible(_ seconds: Double) -> Bool { seconds.isFinite && seconds >= 0 && seconds < 1e11 }

    static func idString(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        default: return nil
        }
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DecodingError {
            switch error {
            case .keyNotFound(let key, let context):
                return "missing \(path(context.codingPath + [key]))"
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                return "bad value at \(path(context.codingPath)): \(context.debugDescription)"
            @unknown default:
                return "\(error)"
            }
        }
        return "\(error)"
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }
}

extension JSONValue {
    var arrayItems: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}
