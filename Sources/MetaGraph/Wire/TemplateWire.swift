/// Template shapes as Meta sends and receives them (reference §3-§6).
public struct TemplateComponent: Codable, Sendable, Hashable {
    public var type: String
    public var format: String?
    public var text: String?
    public var example: ComponentExample?
    public var buttons: [TemplateButton]?
    /// AUTHENTICATION body / footer presets.
    public var addSecurityRecommendation: Bool?
    public var codeExpirationMinutes: Int?

    public init(type: String, format: String? = nil, text: String? = nil, example: ComponentExample? = nil,
                buttons: [TemplateButton]? = nil, addSecurityRecommendation: Bool? = nil, codeExpirationMinutes: Int? = nil) {
        self.type = type
        self.format = format
        self.text = text
        self.example = example
        self.buttons = buttons
        self.addSecurityRecommendation = addSecurityRecommendation
        self.codeExpirationMinutes = codeExpirationMinutes
    }

    enum CodingKeys: String, CodingKey {
        case type, format, text, example, buttons
        case addSecurityRecommendation = "add_security_recommendation"
        case codeExpirationMinutes = "code_expiration_minutes"
    }
}

public struct NamedParameterExample: Codable, Sendable, Hashable {
    public var paramName: String
    public var example: String

    public init(paramName: String, example: String) {
        self.paramName = paramName
        self.example = example
    }

    enum CodingKeys: String, CodingKey {
        case paramName = "param_name"
        case example
    }
}

public struct ComponentExample: Codable, Sendable, Hashable {
    public var headerText: [String]?
    public var headerTextNamedParams: [NamedParameterExample]?
    /// An array holding one array of values, in placeholder order.
    public var bodyText: [[String]]?
    public var bodyTextNamedParams: [NamedParameterExample]?
    public var headerHandle: [String]?

    public init(headerText: [String]? = nil, headerTextNamedParams: [NamedParameterExample]? = nil, bodyText: [[String]]? = nil,
                bodyTextNamedParams: [NamedParameterExample]? = nil, headerHandle: [String]? = nil) {
        self.headerText = headerText
        self.headerTextNamedParams = headerTextNamedParams
        self.bodyText = bodyText
        self.bodyTextNamedParams = bodyTextNamedParams
        self.headerHandle = headerHandle
    }

    enum CodingKeys: String, CodingKey {
        case headerText = "header_text"
        case headerTextNamedParams = "header_text_named_params"
        case bodyText = "body_text"
        case bodyTextNamedParams = "body_text_named_params"
        case headerHandle = "header_handle"
    }
}

public struct TemplateButton: Codable, Sendable, Hashable {
    public var type: String
    public var text: String?
    public var url: String?
    public var phoneNumber: String?
    /// URL buttons: an array of one value; COPY_CODE: a single string.
    public var example: StringOrStrings?
    public var otpType: String?

    public init(type: String, text: String? = nil, url: String? = nil, phoneNumber: String? = nil,
                example: StringOrStrings? = nil, otpType: String? = nil) {
        self.type = type
        self.text = text
        self.url = url
        self.phoneNumber = phoneNumber
        self.example = example
        self.otpType = otpType
    }

    enum CodingKeys: String, CodingKey {
        case type, text, url, example
        case phoneNumber = "phone_number"
        case otpType = "otp_type"
    }
}

/// A JSON value that Meta writes either as a string or as an array of strings.
public enum StringOrStrings: Codable, Sendable, Hashable {
    case one(String)
    case many([String])

    public var values: [String] {
        switch self {
        case .one(let value): return [value]
        case .many(let values): return values
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(String.self) {
            self = .one(value)
        } else {
            self = .many(try container.decode([String].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .one(let value): try container.encode(value)
        case .many(let values): try container.encode(values)
        }
    }
}

/// `POST /{waba-id}/message_templates`
public struct CreateTemplateRequest: Codable, Sendable, Hashable {
    public var name: String
    public var language: String
    public var category: String
    public var parameterFormat: String?
    public var components: [TemplateComponent]
    public var messageSendTTLSeconds: Int?

    public init(name: String, language: String, category: String, parameterFormat: String? = nil,
                components: [TemplateComponent], messageSendTTLSeconds: Int? = nil) {
        self.name = name
        self.language = language
        self.category = category
        self.parameterFormat = parameterFormat
        self.components = components
        self.messageSendTTLSeconds = messageSendTTLSeconds
    }

    enum CodingKeys: String, CodingKey {
        case name, language, category, components
        case parameterFormat = "parameter_format"
        case messageSendTTLSeconds = "message_send_ttl_seconds"
    }
}

public struct CreateTemplateResponse: Codable, Sendable, Hashable {
    public var id: String
    public var status: String
    public var category: String

    public init(id: String, status: String, category: String) {
        self.id = id
        self.status = status
        self.category = category
    }
}

/// `POST /{template-id}`: components replace the whole list.
public struct EditTemplateRequest: Codable, Sendable, Hashable {
    public var category: String?
    public var components: [TemplateComponent]?
    public var messageSendTTLSeconds: Int?

    public init(category: String? = nil, components: [TemplateComponent]? = nil, messageSendTTLSeconds: Int? = nil) {
        self.category = category
        self.components = components
        self.messageSendTTLSeconds = messageSendTTLSeconds
    }

    enum CodingKeys: String, CodingKey {
        case category, components
        case messageSendTTLSeconds = "message_send_ttl_seconds"
    }
}

public struct SuccessResponse: Codable, Sendable, Hashable {
    public var success: Bool

    public init(success: Bool = true) { self.success = success }
}

public struct QualityScore: Codable, Sendable, Hashable {
    public var score: String
    public var date: Int?

    public init(score: String, date: Int? = nil) {
        self.score = score
        self.date = date
    }
}

/// A template as list and get return it.
public struct MessageTemplate: Codable, Sendable, Hashable {
    public var id: String
    public var name: String?
    public var language: String?
    public var status: String?
    public var category: String?
    public var parameterFormat: String?
    public var components: [TemplateComponent]?
    public var qualityScore: QualityScore?
    public var rejectedReason: String?
    public var previousCategory: String?
    public var subCategory: String?

    public init(id: String, name: String? = nil, language: String? = nil, status: String? = nil, category: String? = nil,
                parameterFormat: String? = nil, components: [TemplateComponent]? = nil, qualityScore: QualityScore? = nil,
                rejectedReason: String? = nil, previousCategory: String? = nil, subCategory: String? = nil) {
        self.id = id
        self.name = name
        self.language = language
        self.status = status
        self.category = category
        self.parameterFormat = parameterFormat
        self.components = components
        self.qualityScore = qualityScore
        self.rejectedReason = rejectedReason
        self.previousCategory = previousCategory
        self.subCategory = subCategory
    }

    enum CodingKeys: String, CodingKey {
        case id, name, language, status, category, components
        case parameterFormat = "parameter_format"
        case qualityScore = "quality_score"
        case rejectedReason = "rejected_reason"
        case previousCategory = "previous_category"
        case subCategory = "sub_category"
    }
}

public struct Paging: Codable, Sendable, Hashable {
    public struct Cursors: Codable, Sendable, Hashable {
        public var before: String?
        public var after: String?

        public init(before: String? = nil, after: String? = nil) {
            self.before = before
            self.after = after
        }
    }

    public var cursors: Cursors?
    public var next: String?
    public var previous: String?

    public init(cursors: Cursors? = nil, next: String? = nil, previous: String? = nil) {
        self.cursors = cursors
        self.next = next
        self.previous = previous
    }
}

public struct TemplateListResponse: Codable, Sendable, Hashable {
    public var data: [MessageTemplate]
    public var paging: Paging?

    public init(data: [MessageTemplate], paging: Paging? = nil) {
        self.data = data
        self.paging = paging
    }
}
