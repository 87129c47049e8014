import BizOneModel
import Foundation
import MetaGraph

/// `POST /{phone-number-id}/messages`: sends and mark-read (reference §9, §18), then the
/// scheduled status webhooks (§14).
extension EmulatorState {
    static let messageTypes = ["audio", "contacts", "document", "image", "interactive", "location", "reaction", "sticker",
                               "template", "text", "video"]

    func sendMessage(_ call: GraphCall) throws -> GraphReply {
        let parameters = call.parameters
        try checkMessagingProduct(parameters)
        if let status = parameters["status"]?.textValue {
            return try markRead(parameters, status: status)
        }
        if let recipientType = parameters["recipient_type"]?.textValue, !["individual", "group"].contains(recipientType.lowercased()) {
            throw EmulatorGraphError.notOneOf("recipient_type", ["GROUP", "INDIVIDUAL"], got: recipientType)
        }
        guard let to = parameters["to"]?.textValue, !to.isEmpty else { throw EmulatorGraphError.required("to") }
        guard let recipient = Recipient(to) else {
            throw EmulatorGraphError.invalidParameter("Invalid parameter 'to': \"\(to)\" is neither a phone number in international format nor a business-scoped user id.",
                                              userTitle: "Invalid recipient", userMessage: "The recipient phone number is not valid.")
        }
        let type = (parameters["type"]?.textValue ?? "text").lowercased()
        guard Self.messageTypes.contains(type) else {
            throw EmulatorGraphError.notOneOf("type", Self.messageTypes.map { $0.uppercased() }, got: parameters["type"]?.textValue ?? type)
        }
        let time = now
        var template: TemplateRecord?
        var text: String?
        switch type {
        case "text":
            text = try checkText(parameters)
            try requireWindow(recipient, now: time)
        case "template":
            template = try checkTemplate(parameters, recipient: recipient)
        default:
            guard let object = parameters[type], !object.isNull else { throw EmulatorGraphError.required(type) }
            try requireWindow(recipient, now: time)
        }
        let (plan, syncFailure) = DeliveryPlan.from(rules.recipients, recipient: recipient, refusals: refusals[recipient.key, default: 0])
        if let syncFailure {
            refusals[recipient.key, default: 0] += 1
            throw EmulatorGraphError.recipientFailure(syncFailure)
        }
        switch limiter.admit(recipient: recipient.key, now: time) {
        case .allowed: break
        case .throughput(let retryAfter): throw EmulatorGraphError.throughput(retryAfter: retryAfter)
        case .pair(let retryAfter): throw EmulatorGraphError.pairLimit(retryAfter: retryAfter)
        }
        return try accept(call, recipient: recipient, type: type, template: template, text: text, plan: plan, now: time)
    }

    private func checkMessagingProduct(_ parameters: [String: JSONValue]) throws {
        guard let product = parameters["messaging_product"]?.textValue, !product.isEmpty else {
            throw EmulatorGraphError.required("messaging_product")
        }
        guard product.lowercased() == "whatsapp" else { throw EmulatorGraphError.notOneOf("messaging_product", ["WHATSAPP"], got: product) }
    }

    func markedRead() -> [String] { readReceipts }

    private func markRead(_ parameters: [String: JSONValue], status: String) throws -> GraphReply {
        guard status.lowercased() == "read" else { throw EmulatorGraphError.notOneOf("status", ["READ"], got: status) }
        guard let messageID = parameters["message_id"]?.textValue, !messageID.isEmpty else { throw EmulatorGraphError.required("message_id") }
        guard messageID.hasPrefix("wamid.") else {
            throw EmulatorGraphError.invalidParameter("Invalid parameter 'message_id': \"\(messageID)\" is not a WhatsApp message id.")
        }
        readReceipts.append(messageID)
        return try .encode(SuccessResponse())
    }

    private func checkText(_ parameters: [String: JSONValue]) throws -> String {
        guard let object = parameters["text"], !object.isNull else { throw EmulatorGraphError.required("text") }
        let text: SendMessageRequest.Text
        do {
            text = try object.decode(SendMessageRequest.Text.self)
        } catch {
            if object["body"] == nil { throw EmulatorGraphError.required("text['body']") }
            throw EmulatorGraphError.invalidJSON("text: \(DecodingErrorText.describe(error))")
        }
        guard !text.body.isEmpty else { throw EmulatorGraphError.required("text['body']") }
        if text.body.unicodeScalars.count > 4096 {
            throw EmulatorGraphError.param("Param text['body'] must be at most 4096 characters long.")
        }
        return text.body
    }

    /// 131047 unless the user wrote within the last 24 hours.
    private func requireWindow(_ recipient: Recipient, now time: Double) throws {
        guard let last = windows[recipient.key], time - last < Self.day else { throw EmulatorGraphError.outsideWindow() }
    }

    func isWindowOpen(_ recipient: Recipient, now time: Double) -> Bool {
        guard let last = windows[recipient.key] else { return false }
        return time - last < Self.day
    }

    private func checkTemplate(_ parameters: [String: JSONValue], recipient: Recipient) throws -> TemplateRecord {
        guard let object = parameters["template"], !object.isNull else { throw EmulatorGraphError.required("template") }
        guard object["name"]?.textValue?.isEmpty == false else { throw EmulatorGraphError.required("template['name']") }
        guard let languageValue = object["language"], !languageValue.isNull else { throw EmulatorGraphError.required("template['language']") }
        if case .string = languageValue {
            throw EmulatorGraphError.invalidJSON("template['language'] must be an object such as {\"code\": \"en_US\"}")
        }
        let request: SendMessageRequest.Template
        do {
            request = try object.decode(SendMessageRequest.Template.self)
        } catch {
            throw EmulatorGraphError.invalidJSON("template: \(DecodingErrorText.describe(error))")
        }
        if let policy = request.language.policy, policy.lowercased() != "deterministic" {
            throw EmulatorGraphError.notOneOf("template['language']['policy']", ["DETERMINISTIC"], got: policy)
        }
        guard let record = templates.values.first(where: { $0.name == request.name && $0.language == request.language.code }) else {
            throw EmulatorGraphError.templateMissing(name: request.name, language: request.language.code)
        }
        switch record.status {
        case "APPROVED": break
        case "PAUSED": throw EmulatorGraphError.templatePaused(name: record.name)
        case "DISABLED": throw EmulatorGraphError.templateDisabled(name: record.name)
        default: throw EmulatorGraphError.templateNotApproved(name: record.name, language: record.language, status: record.status)
        }
        if record.category == "AUTHENTICATION", recipient.userID != nil { throw EmulatorGraphError.authenticationToBSUID() }
        try TemplateSendCheck(template: record, components: request.components ?? []).run()
        return record
    }

    private func accept(_ call: GraphCall, recipient: Recipient, type: String, template: TemplateRecord?, text: String?,
                        plan: DeliveryPlan, now time: Double) throws -> GraphReply {
        let windowOpen = isWindowOpen(recipient, now: time)
        let category = template.map { $0.category.lowercased() } ?? "service"
        let free = template == nil || (windowOpen && category == "utility")
        var conversationID: String?
        var expiry: Double?
        if plan.failCode == nil {
            let key = "\(recipient.key)|\(category)"
            if let open = conversations[key], open.expires > time {
                (conversationID, expiry) = (open.id, open.expires)
            } else {
                let fresh = (id: ids.conversationID(), expires: time + Self.day)
                conversations[key] = fresh
                (conversationID, expiry) = (fresh.id, fresh.expires)
            }
        }
        messageSequence += 1
        let id = ids.wamid(user: recipient.userID ?? recipient.waID)
        var record = MessageRecord(id: id, sequence: messageSequence, recipient: recipient, type: type, templateName: template?.name,
                                   templateLanguage: template?.language, templateID: template?.id, category: category,
                                   pricingType: free ? "free_customer_service" : "regular",
                                   callbackData: call.text("biz_opaque_callback_data"), version: call.version, acceptedAt: time,
                                   plan: plan)
        record.text = text
        record.conversationID = conversationID
        record.conversationExpiry = expiry
        messages[id] = record
        stats.sendsAccepted += 1
        var steps: [(delay: Double, event: ScheduledEvent)] = []
        for status in plan.steps {
            let delay: Double
            switch status {
            case "delivered": delay = timing.deliveredDelay
            case "read": delay = timing.readDelay
            default: delay = timing.sentDelay
            }
            steps.append((delay, .status(messageID: id, status: status)))
        }
        schedule(steps)
        let response = SendMessageResponse(contacts: [.init(input: recipient.input, waID: recipient.waID, userID: recipient.userID)],
                                           messages: [.init(id: id, messageStatus: template == nil ? nil : "accepted")])
        return try .encode(response)
    }

    func emitStatus(messageID: String, status: String) {
        guard var record = messages[messageID] else { return }
        let time = Int(now)
        var entry = MessageStatus(id: record.id, status: status, timestamp: String(time), recipientID: record.recipient.waID,
                                  recipientUserID: record.recipient.userID, bizOpaqueCallbackData: record.callbackData)
        if status == "failed", let code = record.plan.failCode {
            entry.errors = [DeliveryFailure.webhookError(code)]
        } else if status == "sent" || status == "delivered" || (status == "read" && !record.statuses.contains { $0.status == "delivered" }) {
            entry.pricing = MessageStatus.Pricing(billable: record.pricingType == "regular", pricingModel: "PMP",
                                                  type: record.pricingType, category: record.category)
            if record.version < .v24, let conversation = record.conversationID {
                let expires = status == "sent" ? record.conversationExpiry.map { String(Int($0)) } : nil
                entry.conversation = .init(id: conversation, expirationTimestamp: expires, origin: .init(type: record.category))
            }
        }
        record.statuses.append(MessageStatusEntry(status: status, timestamp: time, errorCode: record.plan.failCode.flatMap { status == "failed" ? $0 : nil }))
        messages[messageID] = record
        stats.statuses[status, default: 0] += 1
        emit({ try factory.statuses([entry]) }, field: "messages")
    }
}
