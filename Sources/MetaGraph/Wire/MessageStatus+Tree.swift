import BizOneModel

/// Statuses read straight from a parsed webhook, written out field by field: they are most of
/// a campaign's webhook traffic, and this is several times cheaper than `decodeTree`'s
/// `Decoder` (see `JSONValue.Fields`). Each reader mirrors the type's `CodingKeys` and gives
/// what its synthesized `init(from:)` gives, errors included; `MessageStatusTreeTests`
/// compares the two on every documented status and on mutations of them.
extension MessageStatus {
    public init(tree: JSONValue) throws {
        try self.init(fields: JSONValue.Fields(tree))
    }

    init(fields: JSONValue.Fields) throws {
        let id = try fields.string("id")
        let status = try fields.string("status")
        let timestamp = try fields.string("timestamp")
        let conversation = try fields.optionalObject("conversation", Conversation.init(fields:))
        let pricing = try fields.optionalObject("pricing", Pricing.init(fields:))
        let errors = try fields.optionalArray("errors", WebhookError.init(fields:))
        self.init(id: id, status: status, timestamp: timestamp, recipientID: try fields.optionalString("recipient_id"),
                  recipientUserID: try fields.optionalString("recipient_user_id"),
                  bizOpaqueCallbackData: try fields.optionalString("biz_opaque_callback_data"),
                  conversation: conversation, pricing: pricing, errors: errors)
    }
}

extension MessageStatus.Conversation {
    init(fields: JSONValue.Fields) throws {
        let id = try fields.string("id")
        let origin = try fields.optionalObject("origin") { Origin(type: try $0.string("type")) }
        self.init(id: id, expirationTimestamp: try fields.optionalString("expiration_timestamp"), origin: origin)
    }
}

extension MessageStatus.Pricing {
    init(fields: JSONValue.Fields) throws {
        let billable = try fields.optionalBool("billable")
        let type = try fields.optionalString("type")
        let category = try fields.optionalString("category")
        self.init(billable: billable, pricingModel: try fields.optionalString("pricing_model"), type: type, category: category)
    }
}

extension WebhookError {
    init(fields: JSONValue.Fields) throws {
        let code = try fields.int("code")
        let title = try fields.optionalString("title")
        let message = try fields.optionalString("message")
        let href = try fields.optionalString("href")
        let errorData = try fields.optionalObject("error_data") { ErrorData(details: try $0.optionalString("details")) }
        self.init(code: code, title: title, message: message, details: nil, href: href)
        // The memberwise init fills a missing message from the title and builds error_data from
        // details; the wire may have either without the other.
        self.message = message
        self.errorData = errorData
    }
}
