/// Sending messages (reference §9).
public struct SendMessageRequest: Codable, Sendable, Hashable {
    public struct Text: Codable, Sendable, Hashable {
        public var body: String
        public var previewURL: Bool?

        public init(body: String, previewURL: Bool? = nil) {
            self.body = body
            self.previewURL = previewURL
        }

        enum CodingKeys: String, CodingKey {
            case body
            case previewURL = "preview_url"
        }
    }

    public struct Template: Codable, Sendable, Hashable {
        public struct Language: Codable, Sendable, Hashable {
            public var code: String
            public var policy: String?

            public init(code: String, policy: String? = nil) {
                self.code = code
                self.policy = policy
            }
        }

        public var name: String
        public var language: Language
        public var components: [SendComponent]?

        public init(name: String, language: Language, components: [SendComponent]? = nil) {
            self.name = name
            self.language = language
            self.components = components
        }
    }

    public struct Context: Codable, Sendable, Hashable {
        public var messageID: String

        public init(messageID: String) { self.messageID = messageID }

        enum CodingKeys: String, CodingKey { case messageID = "message_id" }
    }

    public var messagingProduct: String
    public var recipientType: String?
    public var to: String
    public var type: String
    public var text: Text?
    public var template: Template?
    public var context: Context?
    public var bizOpaqueCallbackData: String?

    public init(to: String, type: String, text: Text? = nil, template: Template? = nil, context: Context? = nil,
                bizOpaqueCallbackData: String? = nil, recipientType: String? = "individual") {
        self.messagingProduct = "whatsapp"
        self.recipientType = recipientType
        self.to = to
        self.type = type
        self.text = text
        self.template = template
        self.context = context
        self.bizOpaqueCallbackData = bizOpaqueCallbackData
    }

    public static func text(to: String, body: String, previewURL: Bool? = nil) -> SendMessageRequest {
        SendMessageRequest(to: to, type: "text", text: Text(body: body, previewURL: previewURL))
    }

    public static func template(to: String, name: String, language: String, components: [SendComponent]? = nil,
                                callbackData: String? = nil) -> SendMessageRequest {
        SendMessageRequest(to: to, type: "template",
                           template: Template(name: name, language: .init(code: language), components: components),
                           bizOpaqueCallbackData: callbackData)
    }

    enum CodingKeys: String, CodingKey {
        case to, type, text, template, context
        case messagingProduct = "messaging_product"
        case recipientType = "recipient_type"
        case bizOpaqueCallbackData = "biz_opaque_callback_data"
    }
}

/// A send-time component: `header`, `body` or `button` with its parameters.
public struct SendComponent: Codable, Sendable, Hashable {
    public var type: String
    public var subType: String?
    /// Zero-based button position; Meta's examples send it as a string (integers also appear).
    public var index: StringOrInt?
    public var parameters: [SendParameter]

    public init(type: String, subType: String? = nil, index: StringOrInt? = nil, parameters: [SendParameter]) {
        self.type = type
        self.subType = subType
        self.index = index
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case type, index, parameters
        case subType = "sub_type"
    }
}

public enum StringOrInt: Codable, Sendable, Hashable {
    case string(String)
    case int(Int)

    public var intValue: Int? {
        switch self {
        case .string(let text): return Int(text)
        case .int(let value): return value
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .int(let value): try container.encode(value)
        }
    }
}

public struct SendParameter: Codable, Sendable, Hashable {
    public struct Media: Codable, Sendable, Hashable {
        public var link: String?
        public var id: String?

        public init(link: String? = nil, id: String? = nil) {
            self.link = link
            self.id = id
        }
    }

    public struct Currency: Codable, Sendable, Hashable {
        public var fallbackValue: String
        public var code: String
        public var amount1000: Int

        enum CodingKeys: String, CodingKey {
            case code
            case fallbackValue = "fallback_value"
            case amount1000 = "amount_1000"
        }
    }

    public struct DateTime: Codable, Sendable, Hashable {
        public var fallbackValue: String

        enum CodingKeys: String, CodingKey { case fallbackValue = "fallback_value" }
    }

    public struct Location: Codable, Sendable, Hashable {
        public var latitude: Double
        public var longitude: Double
        public var name: String?
        public var address: String?
    }

    public var type: String
    public var text: String?
    public var parameterName: String?
    public var payload: String?
    public var couponCode: String?
    public var currency: Currency?
    public var dateTime: DateTime?
    public var image: Media?
    public var video: Media?
    public var document: Media?
    public var location: Location?

    public init(type: String, text: String? = nil, parameterName: String? = nil, payload: String? = nil, couponCode: String? = nil) {
        self.type = type
        self.text = text
        self.parameterName = parameterName
        self.payload = payload
        self.couponCode = couponCode
    }

    public static func text(_ value: String, name: String? = nil) -> SendParameter {
        SendParameter(type: "text", text: value, parameterName: name)
    }

    enum CodingKeys: String, CodingKey {
        case type, text, payload, currency, image, video, document, location
        case parameterName = "parameter_name"
        case couponCode = "coupon_code"
        case dateTime = "date_time"
    }
}

public struct SendMessageResponse: Codable, Sendable, Hashable {
    public struct Contact: Codable, Sendable, Hashable {
        public var input: String
        public var waID: String
        public var userID: String?

        public init(input: String, waID: String, userID: String? = nil) {
            self.input = input
            self.waID = waID
            self.userID = userID
        }

        enum CodingKeys: String, CodingKey {
            case input
            case waID = "wa_id"
            case userID = "user_id"
        }
    }

    public struct Message: Codable, Sendable, Hashable {
        public var id: String
        public var messageStatus: String?

        public init(id: String, messageStatus: String? = nil) {
            self.id = id
            self.messageStatus = messageStatus
        }

        enum CodingKeys: String, CodingKey {
            case id
            case messageStatus = "message_status"
        }
    }

    public var messagingProduct: String
    public var contacts: [Contact]
    public var messages: [Message]

    public init(contacts: [Contact], messages: [Message]) {
        self.messagingProduct = "whatsapp"
        self.contacts = contacts
        self.messages = messages
    }

    public var messageID: String? { messages.first?.id }

    enum CodingKeys: String, CodingKey {
        case contacts, messages
        case messagingProduct = "messaging_product"
    }
}

/// `{"messaging_product":"whatsapp","status":"read","message_id":"wamid..."}`
public struct MarkReadRequest: Codable, Sendable, Hashable {
    public var messagingProduct = "whatsapp"
    public var status = "read"
    public var messageID: String

    public init(messageID: String) { self.messageID = messageID }

    enum CodingKeys: String, CodingKey {
        case status
        case messagingProduct = "messaging_product"
        case messageID = "message_id"
    }
}

/// `GET /{phone-number-id}` (reference §10).
public struct PhoneNumberInfo: Codable, Sendable, Hashable {
    public struct Throughput: Codable, Sendable, Hashable {
        public var level: String

        public init(level: String) { self.level = level }
    }

    public var id: String
    public var displayPhoneNumber: String?
    public var verifiedName: String?
    public var qualityRating: String?
    public var nameStatus: String?
    public var codeVerificationStatus: String?
    public var status: String?
    public var throughput: Throughput?
    public var messagingLimit: String?

    public init(id: String, displayPhoneNumber: String? = nil, verifiedName: String? = nil, qualityRating: String? = nil,
                nameStatus: String? = nil, codeVerificationStatus: String? = nil, status: String? = nil,
                throughput: Throughput? = nil, messagingLimit: String? = nil) {
        self.id = id
        self.displayPhoneNumber = displayPhoneNumber
        self.verifiedName = verifiedName
        self.qualityRating = qualityRating
        self.nameStatus = nameStatus
        self.codeVerificationStatus = codeVerificationStatus
        self.status = status
        self.throughput = throughput
        self.messagingLimit = messagingLimit
    }

    enum CodingKeys: String, CodingKey {
        case id, status, throughput
        case displayPhoneNumber = "display_phone_number"
        case verifiedName = "verified_name"
        case qualityRating = "quality_rating"
        case nameStatus = "name_status"
        case codeVerificationStatus = "code_verification_status"
        case messagingLimit = "whatsapp_business_manager_messaging_limit"
    }
}
