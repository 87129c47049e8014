/// `{"error": {...}}`, Meta's error envelope (reference §17).
public struct GraphErrorEnvelope: Codable, Sendable, Hashable {
    public var error: GraphErrorBody

    public init(error: GraphErrorBody) { self.error = error }
}

public struct GraphErrorBody: Codable, Sendable, Hashable {
    public struct ErrorData: Codable, Sendable, Hashable {
        public var messagingProduct: String?
        public var details: String?

        public init(messagingProduct: String? = "whatsapp", details: String?) {
            self.messagingProduct = messagingProduct
            self.details = details
        }

        enum CodingKeys: String, CodingKey {
            case messagingProduct = "messaging_product"
            case details
        }
    }

    public var message: String
    public var type: String?
    public var code: Int
    public var errorSubcode: Int?
    public var errorData: ErrorData?
    public var errorUserTitle: String?
    public var errorUserMsg: String?
    public var isTransient: Bool?
    public var fbtraceID: String?

    public init(message: String, type: String? = "OAuthException", code: Int, errorSubcode: Int? = nil, errorData: ErrorData? = nil,
                errorUserTitle: String? = nil, errorUserMsg: String? = nil, isTransient: Bool? = nil, fbtraceID: String? = nil) {
        self.message = message
        self.type = type
        self.code = code
        self.errorSubcode = errorSubcode
        self.errorData = errorData
        self.errorUserTitle = errorUserTitle
        self.errorUserMsg = errorUserMsg
        self.isTransient = isTransient
        self.fbtraceID = fbtraceID
    }

    enum CodingKeys: String, CodingKey {
        case message, type, code
        case errorSubcode = "error_subcode"
        case errorData = "error_data"
        case errorUserTitle = "error_user_title"
        case errorUserMsg = "error_user_msg"
        case isTransient = "is_transient"
        case fbtraceID = "fbtrace_id"
    }
}
