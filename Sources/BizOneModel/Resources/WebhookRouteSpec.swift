/// What `serve` does with matching webhook events.
public struct WebhookRouteSpec: Sendable, Hashable, Codable {
    public struct Match: Sendable, Hashable, Codable {
        public struct Text: Sendable, Hashable, Codable {
            public var contains: [String]?
            public var keywords: [String]?
            public var regex: String?
        }
        public var field: String?
        public var messageTypes: [String]?
        public var statuses: [String]?
        public var text: Text?
    }

    public struct Action: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            case store, forward, inbox, optOut, autoReply
        }
        public var type: Kind
        public var url: String?
        public var secret: SecretRef?
        public var maxAttempts: Int?
        public var backoff: String?
        public var team: String?
        public var agent: String?
        public var strategy: String?
        public var keywords: [String]?
        public var template: TemplateSpec.TemplateRef?
        public var text: String?
    }

    public var integration: String?
    public var description: String?
    public var priority: Int
    public var match: Match
    public var actions: [Action]

    public static let fields = [
        "messages", "message_template_status_update", "message_template_quality_update",
        "template_category_update", "message_template_components_update", "phone_number_quality_update",
        "business_capability_update", "account_update",
    ]
    public static let messageTypes = [
        "text", "image", "audio", "video", "document", "sticker", "location", "contacts", "interactive",
        "button", "reaction", "order", "system", "unsupported", "request_welcome",
    ]
    public static let statuses = ["sent", "delivered", "read", "failed", "played", "deleted"]

    static let templateRefSchema = ObjectSchema("Template to send.", [
        Property("name", .string(.templateName), required: true, "Template name."),
        Property("language", .string(.language), required: true, "Template language."),
    ])

    public static let actionSchema = UnionSchema(discriminator: "type", "What to do with a matching event.", variants: [
        ("store", ObjectSchema("Keep the event in the event log (always done; listed for clarity).", [])),
        ("forward", ObjectSchema("POST the original event to a URL, re-signed, with retries.", [
            Property("url", .string(.url), required: true, "Receiver URL."),
            Property("secret", .secretRef, required: true, "Key for X-BizOne-Signature-256 (a secret reference)."),
            Property("maxAttempts", .integer(minimum: 1, maximum: 50), default: .int(8), "Attempts before dead-lettering."),
            Property("backoff", .string(.duration), default: .string("10s"), "First backoff; doubles each attempt."),
        ])),
        ("inbox", ObjectSchema("Assign the conversation to a team or an agent.", [
            Property("team", .string(.resourceName), "Team to assign to."),
            Property("agent", .string(.resourceName), "User to assign to."),
            Property("strategy", .oneOf(["roundRobin", "leastOpen"]), default: .string("roundRobin"), "How an agent of the team is picked."),
        ], rules: [.atLeastOneOf(["team", "agent"])])),
        ("optOut", ObjectSchema("Mark the contact opted out when the text is one of the keywords.", [
            Property("keywords", .array(items: .string(StringSchema(minLength: 1)), minItems: 1), required: true, "Keywords, matched case-insensitively."),
        ])),
        ("autoReply", ObjectSchema("Answer within the service window.", [
            Property("template", .object(templateRefSchema), "Template to send."),
            Property("text", .string(StringSchema(minLength: 1, maxLength: 4096)), "Free text to send (only inside the 24-hour window)."),
        ], rules: [.exactlyOneOf(["template", "text"])])),
    ])

    public static let schema = ObjectSchema("Routing of incoming webhook events.", [
        Property("integration", .string(.resourceName), "Integration whose webhooks this route sees (default: the only one)."),
        Property("description", .string, "What this route is for."),
        Property("priority", .integer(minimum: 0, maximum: 10_000), default: .int(100), "Lower runs first."),
        Property("match", .object(ObjectSchema("Conditions; all must hold. Empty matches everything.", [
            Property("field", .oneOf(fields), "Webhook field, e.g. messages."),
            Property("messageTypes", .array(items: .oneOf(messageTypes)), "Inbound message types."),
            Property("statuses", .array(items: .oneOf(statuses)), "Message statuses."),
            Property("text", .object(ObjectSchema("Conditions on inbound text.", [
                Property("contains", .array(items: .string), "Any of these substrings (case-insensitive)."),
                Property("keywords", .array(items: .string), "The whole text equals one of these (case-insensitive)."),
                Property("regex", .string, "A regular expression."),
            ])), "Text conditions."),
        ])), default: .object([:]), "Which events this route handles."),
        Property("actions", .array(items: .union(actionSchema), minItems: 1), required: true, "Actions, in order."),
    ])
}
