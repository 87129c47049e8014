/// Webhook payloads (reference §8, §12-§15). One flat `WebhookValue` covers every field BizOne
/// handles; fields a kind does not use are simply absent, and unknown ones are ignored here
/// (the receiver keeps the raw bytes).
public struct WebhookEnvelope: Codable, Sendable, Hashable {
    public var object: String
    public var entry: [WebhookEntry]

    public init(object: String = "whatsapp_business_account", entry: [WebhookEntry]) {
        self.object = object
        self.entry = entry
    }
}

public struct WebhookEntry: Codable, Sendable, Hashable {
    public var id: String
    /// Template and account webhooks carry an integer time; message webhooks none.
    public var time: Int?
    public var changes: [WebhookChange]

    public init(id: String, time: Int? = nil, changes: [WebhookChange]) {
        self.id = id
        self.time = time
        self.changes = changes
    }
}

public struct WebhookChange: Codable, Sendable, Hashable {
    public var field: String
    public var value: WebhookValue

    public init(field: String, value: WebhookValue) {
        self.field = field
        self.value = value
    }
}

/// An id Meta sends as a JSON number in some payloads and as a string in others.
public struct FlexibleID: Codable, Sendable, Hashable, CustomStringConvertible {
    public var value: String
    /// Re-encode as a number when it was one, so payloads keep Meta's shape.
    public var isNumber: Bool

    public init(_ value: String, isNumber: Bool = false) {
        self.value = value
        self.isNumber = isNumber
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            self.init(String(number), isNumber: true)
        } else {
            self.init(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if isNumber, let number = Int64(value) { try container.encode(number) } else { try container.encode(value) }
    }
}

public struct WebhookMetadata: Codable, Sendable, Hashable {
    public var displayPhoneNumber: String
    public var phoneNumberID: String

    public init(displayPhoneNumber: String, phoneNumberID: String) {
        self.displayPhoneNumber = displayPhoneNumber
        self.phoneNumberID = phoneNumberID
    }

    enum CodingKeys: String, CodingKey {
        case displayPhoneNumber = "display_phone_number"
        case phoneNumberID = "phone_number_id"
    }
}

public struct WebhookError: Codable, Sendable, Hashable {
    public struct ErrorData: Codable, Sendable, Hashable {
        public var details: String?

        public init(details: String?) { self.details = details }
    }

    public var code: Int
    public var title: String?
    public var message: String?
    public var errorData: ErrorData?
    public var href: String?

    public init(code: Int, title: String?, message: String? = nil, details: String? = nil,
                href: String? = "/documentation/business-messaging/whatsapp/support/error-codes") {
        self.code = code
        self.title = title
        self.message = message ?? title
        self.errorData = details.map { ErrorData(details: $0) }
        self.href = href
    }

    enum CodingKeys: String, CodingKey {
        case code, title, message, href
        case errorData = "error_data"
    }
}

public struct WebhookContact: Codable, Sendable, Hashable {
    public struct Profile: Codable, Sendable, Hashable {
        public var name: String?
        public var username: String?
        public var countryCode: String?

        public init(name: String?, username: String? = nil, countryCode: String? = nil) {
            self.name = name
            self.username = username
            self.countryCode = countryCode
        }

        enum CodingKeys: String, CodingKey {
            case name, username
            case countryCode = "country_code"
        }
    }

    public var profile: Profile?
    public var waID: String?
    public var userID: String?

    public init(profile: Profile?, waID: String?, userID: String? = nil) {
        self.profile = profile
        self.waID = waID
        self.userID = userID
    }

    enum CodingKeys: String, CodingKey {
        case profile
        case waID = "wa_id"
        case userID = "user_id"
    }
}

/// An inbound message; only the type objects BizOne reads are typed, the raw body keeps the rest.
public struct InboundMessage: Codable, Sendable, Hashable {
    public struct Text: Codable, Sendable, Hashable {
        public var body: String
        public init(body: String) { self.body = body }
    }

    public struct Button: Codable, Sendable, Hashable {
        public var payload: String?
        public var text: String?
        public init(payload: String?, text: String?) {
            self.payload = payload
            self.text = text
        }
    }

    public struct Context: Codable, Sendable, Hashable {
        public var from: String?
        public var id: String?
        public init(from: String?, id: String?) {
            self.from = from
            self.id = id
        }
    }

    public struct Interactive: Codable, Sendable, Hashable {
        public struct Reply: Codable, Sendable, Hashable {
            public var id: String
            public var title: String
            public var description: String?
        }
        public var type: String
        public var buttonReply: Reply?
        public var listReply: Reply?

        enum CodingKeys: String, CodingKey {
            case type
            case buttonReply = "button_reply"
            case listReply = "list_reply"
        }
    }

    public struct Reaction: Codable, Sendable, Hashable {
        public var messageID: String
        public var emoji: String?

        enum CodingKeys: String, CodingKey {
            case emoji
            case messageID = "message_id"
        }
    }

    public struct Media: Codable, Sendable, Hashable {
        public var id: String?
        public var mimeType: String?
        public var sha256: String?
        public var caption: String?
        public var url: String?

        enum CodingKeys: String, CodingKey {
            case id, sha256, caption, url
            case mimeType = "mime_type"
        }
    }

    public var from: String?
    public var fromUserID: String?
    public var id: String
    public var timestamp: String
    public var type: String
    public var text: Text?
    public var button: Button?
    public var context: Context?
    public var interactive: Interactive?
    public var reaction: Reaction?
    public var image: Media?
    public var errors: [WebhookError]?

    public init(from: String?, id: String, timestamp: String, type: String, text: Text? = nil, fromUserID: String? = nil) {
        self.from = from
        self.id = id
        self.timestamp = timestamp
        self.type = type
        self.text = text
        self.fromUserID = fromUserID
    }

    enum CodingKeys: String, CodingKey {
        case from, id, timestamp, type, text, button, context, interactive, reaction, image, errors
        case fromUserID = "from_user_id"
    }
}

public struct MessageStatus: Codable, Sendable, Hashable {
    public struct Conversation: Codable, Sendable, Hashable {
        public struct Origin: Codable, Sendable, Hashable {
            public var type: String
            public init(type: String) { self.type = type }
        }
        public var id: String
        public var expirationTimestamp: String?
        public var origin: Origin?

        public init(id: String, expirationTimestamp: String? = nil, origin: Origin?) {
            self.id = id
            self.expirationTimestamp = expirationTimestamp
            self.origin = origin
        }

        enum CodingKeys: String, CodingKey {
            case id, origin
            case expirationTimestamp = "expiration_timestamp"
        }
    }

    public struct Pricing: Codable, Sendable, Hashable {
        public var billable: Bool?
        public var pricingModel: String?
        public var type: String?
        public var category: String?

        public init(billable: Bool? = true, pricingModel: String? = "PMP", type: String? = "regular", category: String?) {
            self.billable = billable
            self.pricingModel = pricingModel
            self.type = type
            self.category = category
        }

        enum CodingKeys: String, CodingKey {
            case billable, type, category
            case pricingModel = "pricing_model"
        }
    }

    public var id: String
    public var status: String
    public var timestamp: String
    public var recipientID: String?
    public var recipientUserID: String?
    public var bizOpaqueCallbackData: String?
    public var conversation: Conversation?
    public var pricing: Pricing?
    public var errors: [WebhookError]?

    public init(id: String, status: String, timestamp: String, recipientID: String?, recipientUserID: String? = nil,
                bizOpaqueCallbackData: String? = nil, conversation: Conversation? = nil, pricing: Pricing? = nil,
                errors: [WebhookError]? = nil) {
        self.id = id
        self.status = status
        self.timestamp = timestamp
        self.recipientID = recipientID
        self.recipientUserID = recipientUserID
        self.bizOpaqueCallbackData = bizOpaqueCallbackData
        self.conversation = conversation
        self.pricing = pricing
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case id, status, timestamp, conversation, pricing, errors
        case recipientID = "recipient_id"
        case recipientUserID = "recipient_user_id"
        case bizOpaqueCallbackData = "biz_opaque_callback_data"
    }
}

/// Fields of `entry[].changes[].value` across the webhook kinds BizOne handles.
public struct WebhookValue: Codable, Sendable, Hashable {
    // messages
    public var messagingProduct: String?
    public var metadata: WebhookMetadata?
    public var contacts: [WebhookContact]?
    public var messages: [InboundMessage]?
    public var statuses: [MessageStatus]?
    public var errors: [WebhookError]?
    // message_template_status_update
    public var event: String?
    public var messageTemplateID: FlexibleID?
    public var messageTemplateName: String?
    public var messageTemplateLanguage: String?
    public var reason: String?
    public var messageTemplateCategory: String?
    public var rejectionInfo: RejectionInfo?
    public var otherInfo: OtherInfo?
    // message_template_quality_update
    public var previousQualityScore: String?
    public var newQualityScore: String?
    // template_category_update
    public var previousCategory: String?
    public var newCategory: String?
    public var correctCategory: String?
    public var categoryUpdateTimestamp: Int?

    public struct RejectionInfo: Codable, Sendable, Hashable {
        public var reason: String
        public var recommendation: String?

        public init(reason: String, recommendation: String?) {
            self.reason = reason
            self.recommendation = recommendation
        }
    }

    public struct OtherInfo: Codable, Sendable, Hashable {
        public var title: String
        public var description: String?

        public init(title: String, description: String?) {
            self.title = title
            self.description = description
        }
    }

    public init() {}

    enum CodingKeys: String, CodingKey {
        case metadata, contacts, messages, statuses, errors, event, reason
        case messagingProduct = "messaging_product"
        case messageTemplateID = "message_template_id"
        case messageTemplateName = "message_template_name"
        case messageTemplateLanguage = "message_template_language"
        case messageTemplateCategory = "message_template_category"
        case rejectionInfo = "rejection_info"
        case otherInfo = "other_info"
        case previousQualityScore = "previous_quality_score"
        case newQualityScore = "new_quality_score"
        case previousCategory = "previous_category"
        case newCategory = "new_category"
        case correctCategory = "correct_category"
        case categoryUpdateTimestamp = "category_update_timestamp"
    }
}
