/// A message template, in a friendly shape that maps one-to-one onto Meta's components.
public struct TemplateSpec: Sendable, Hashable, Codable {
    public enum Category: String, Sendable, Hashable, Codable, CaseIterable {
        case marketing = "MARKETING"
        case utility = "UTILITY"
        case authentication = "AUTHENTICATION"
    }

    public enum ParameterFormat: String, Sendable, Hashable, Codable, CaseIterable {
        case positional
        case named
    }

    public struct Header: Sendable, Hashable, Codable {
        public enum Format: String, Sendable, Hashable, Codable, CaseIterable {
            case text = "TEXT", image = "IMAGE", video = "VIDEO", document = "DOCUMENT", location = "LOCATION"
        }
        public var format: Format
        public var text: String?
        public var examples: [String: String]?
        public var mediaExample: String?
    }

    public struct Body: Sendable, Hashable, Codable {
        public var text: String
        public var examples: [String: String]
    }

    public struct Button: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            case quickReply = "QUICK_REPLY", url = "URL", phoneNumber = "PHONE_NUMBER", copyCode = "COPY_CODE"
        }
        public var type: Kind
        public var text: String?
        public var url: String?
        public var example: String?
        public var phoneNumber: String?
    }

    public struct Authentication: Sendable, Hashable, Codable {
        public enum OTPType: String, Sendable, Hashable, Codable, CaseIterable {
            case copyCode = "COPY_CODE", oneTap = "ONE_TAP", zeroTap = "ZERO_TAP"
        }
        public var addSecurityRecommendation: Bool
        public var codeExpirationMinutes: Int?
        public var otpType: OTPType
        public var buttonText: String?
    }

    public struct TemplateRef: Sendable, Hashable, Codable {
        public var name: String
        public var language: String
    }

    public var integration: String?
    public var language: String
    public var category: Category
    public var parameterFormat: ParameterFormat
    public var header: Header?
    public var body: Body?
    public var footer: String?
    public var buttons: [Button]
    public var authentication: Authentication?
    public var ttlSeconds: Int?
    public var lifecycle: Lifecycle
}

extension TemplateSpec {
    static let examplesSchema = Schema.map(values: .string)

    public static let buttonSchema = UnionSchema(discriminator: "type", "A button; at most 10, quick replies grouped together.", variants: [
        ("QUICK_REPLY", ObjectSchema("Quick reply button.", [
            Property("text", .string(StringSchema(minLength: 1, maxLength: 25)), required: true, "Label, at most 25 characters."),
        ])),
        ("URL", ObjectSchema("Link button; at most 2.", [
            Property("text", .string(StringSchema(minLength: 1, maxLength: 25)), required: true, "Label, at most 25 characters."),
            Property("url", .string(StringSchema(format: .url, maxLength: 2000)), required: true,
                     "Target URL; one variable allowed, at the end ({{1}} or {{name}})."),
            Property("example", .string, "Sample value for the URL variable (required when the URL has one)."),
        ])),
        ("PHONE_NUMBER", ObjectSchema("Call button; at most 1.", [
            Property("text", .string(StringSchema(minLength: 1, maxLength: 25)), required: true, "Label, at most 25 characters."),
            Property("phoneNumber", .string(StringSchema(format: .e164, maxLength: 20)), required: true, "Number to call, E.164."),
        ])),
        ("COPY_CODE", ObjectSchema("Copy-code button (offer code); at most 1.", [
            Property("example", .string(StringSchema(minLength: 1, maxLength: 15)), required: true, "Sample code, at most 15 characters."),
        ])),
    ])

    public static let schema = ObjectSchema("A WhatsApp message template, reconciled with Meta.", [
        Property("integration", .string(.resourceName), "Integration that owns the template (default: the only one)."),
        Property("language", .string(.language), required: true, "Meta locale code, e.g. en_US or id."),
        Property("category", .oneOf(Category.allCases.map(\.rawValue)), required: true, "MARKETING, UTILITY or AUTHENTICATION."),
        Property("parameterFormat", .oneOf(ParameterFormat.allCases.map(\.rawValue)), default: .string("positional"),
                 "positional ({{1}}, {{2}}) or named ({{first_name}}); never mixed."),
        Property("header", .object(ObjectSchema("Optional header.", [
            Property("format", .oneOf(Header.Format.allCases.map(\.rawValue)), default: .string("TEXT"), "TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION."),
            Property("text", .string(StringSchema(minLength: 1)), "Header text, at most 60 characters and one variable."),
            Property("examples", examplesSchema, "Sample value for the header variable, keyed by parameter."),
            Property("mediaExample", .string, "Upload handle of a sample for a media header."),
        ])), "Header: text, media or location."),
        Property("body", .object(ObjectSchema("Message body.", [
            Property("text", .string(StringSchema(minLength: 1)), required: true, "Body text, at most 1024 characters."),
            Property("examples", examplesSchema, default: .object([:]), "Sample value for every variable, keyed by name or number."),
        ])), "Body (required except for AUTHENTICATION templates)."),
        Property("footer", .string(StringSchema(minLength: 1)), "Footer text, at most 60 characters, no variables."),
        Property("buttons", .array(items: .union(buttonSchema)), default: .array([]), "Buttons, at most 10."),
        Property("authentication", .object(ObjectSchema("Authentication (OTP) template settings.", [
            Property("addSecurityRecommendation", .boolean, default: .bool(true), "Append Meta's security disclaimer to the body."),
            Property("codeExpirationMinutes", .integer(minimum: 1, maximum: 90), "Footer saying the code expires in N minutes."),
            Property("otpType", .oneOf(Authentication.OTPType.allCases.map(\.rawValue)), default: .string("COPY_CODE"), "OTP button type."),
            Property("buttonText", .string(StringSchema(minLength: 1, maxLength: 25)), "OTP button label."),
        ])), "Only for AUTHENTICATION templates: Meta's preset body and OTP button."),
        Property("ttlSeconds", .integer(minimum: -1, maximum: 2_592_000), "Delivery time-to-live in seconds (message_send_ttl_seconds)."),
        Property("lifecycle", .object(Lifecycle.schema), default: .object([:]), "Deletion policy."),
    ])
}
