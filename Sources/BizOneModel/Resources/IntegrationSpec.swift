/// A WhatsApp Business Account and phone number that BizOne talks to Meta through.
public struct IntegrationSpec: Sendable, Hashable, Codable {
    public struct Graph: Sendable, Hashable, Codable {
        public var baseURL: String
        public var version: String
    }

    public struct Throughput: Sendable, Hashable, Codable {
        public var messagesPerSecond: Int
    }

    public var graph: Graph
    public var businessAccountId: String
    public var phoneNumberId: String
    public var displayPhoneNumber: String?
    public var defaultCountryCode: String?
    public var accessToken: SecretRef
    public var appSecret: SecretRef
    public var verifyToken: SecretRef
    public var webhookPath: String
    public var throughput: Throughput

    public var secretRefs: [(field: String, ref: SecretRef)] {
        [("spec.accessToken", accessToken), ("spec.appSecret", appSecret), ("spec.verifyToken", verifyToken)]
    }

    public static let throughputSchema = ObjectSchema("Sending rate.", [
        Property("messagesPerSecond", .integer(minimum: 1, maximum: 1000), default: .int(80),
                 "Messages per second for this phone number (Meta's default is 80, up to 1,000)."),
    ])

    public static let schema = ObjectSchema("A WhatsApp Business Account and its sending phone number.", [
        Property("graph", .object(ObjectSchema("Graph API endpoint.", [
            Property("baseURL", .string(.url), default: .string("https://graph.facebook.com"), "Graph API base URL."),
            Property("version", .string(.graphVersion), default: .string("v23.0"), "Graph API version, e.g. v23.0."),
        ])), default: .object([:]), "Graph API endpoint and version."),
        Property("businessAccountId", .string(.digits), required: true, "WhatsApp Business Account (WABA) id."),
        Property("phoneNumberId", .string(.digits), required: true, "Phone number id that sends messages."),
        Property("displayPhoneNumber", .string, "The number as people see it, for status output."),
        Property("defaultCountryCode", .string(.countryCode), "Calling code used to normalise local numbers in audiences, e.g. 62."),
        Property("accessToken", .secretRef, required: true, "System-user access token (a secret reference)."),
        Property("appSecret", .secretRef, required: true, "App secret that signs webhooks (a secret reference)."),
        Property("verifyToken", .secretRef, required: true, "Webhook verify token (a secret reference)."),
        Property("webhookPath", .string(.path), default: .string("/api/webhooks/whatsapp"), "Path that receives Meta's webhooks."),
        Property("throughput", .object(throughputSchema), default: .object([:]), "Sending rate for this number."),
    ])
}
