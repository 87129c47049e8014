/// One approved template sent to an audience on a schedule.
public struct CampaignSpec: Sendable, Hashable, Codable {
    public struct Retry: Sendable, Hashable, Codable {
        public var maxAttempts: Int
        public var backoff: String
    }

    public struct StopConditions: Sendable, Hashable, Codable {
        public var maxFailureRate: Double
    }

    public var integration: String?
    public var description: String?
    public var template: TemplateSpec.TemplateRef
    public var audience: String
    public var schedule: String?
    public var parameters: [String: String]
    public var throughput: IntegrationSpec.Throughput?
    public var retry: Retry
    public var stopConditions: StopConditions
    public var suspend: Bool

    public static let schema = ObjectSchema("Sends one template to an audience at scheduled times.", [
        Property("integration", .string(.resourceName), "Integration that sends (default: the only one)."),
        Property("description", .string, "What this campaign is for."),
        Property("template", .object(ObjectSchema("The template to send.", [
            Property("name", .string(.templateName), required: true, "Template name."),
            Property("language", .string(.language), required: true, "Template language."),
        ])), required: true, "Template name and language."),
        Property("audience", .string(.resourceName), required: true, "Audience name."),
        Property("schedule", .string(.resourceName), "Schedule name; without one the campaign runs only by hand."),
        Property("parameters", .map(values: .string), default: .object([:]),
                 "Template parameters by name or number: literals, {{contact.name}} or {{contact.attributes.X}}."),
        Property("throughput", .object(IntegrationSpec.throughputSchema), "Sending rate (default: the integration's)."),
        Property("retry", .object(ObjectSchema("Retry policy for retryable Meta errors.", [
            Property("maxAttempts", .integer(minimum: 1, maximum: 20), default: .int(3), "Attempts per recipient."),
            Property("backoff", .string(.duration), default: .string("30s"), "First backoff; doubles each attempt."),
        ])), default: .object([:]), "Retry policy."),
        Property("stopConditions", .object(ObjectSchema("When the campaign pauses itself.", [
            Property("maxFailureRate", .number(minimum: 0, maximum: 1), default: .double(0.2), "Pause when this share of sends failed."),
        ])), default: .object([:]), "Automatic pause conditions."),
        Property("suspend", .boolean, default: .bool(false), "true pauses the campaign."),
    ])
}

extension CampaignSpec {
    /// Meta's default throughput per phone number, used when neither the campaign nor its
    /// integration sets one.
    public static let defaultMessagesPerSecond = 80

    /// The rate a run sends at: the campaign's own, else its integration's, else Meta's default;
    /// never above the integration's, which is the phone number's rate for every run together.
    public func messagesPerSecond(integration: IntegrationSpec?) -> Int {
        let number = integration?.throughput.messagesPerSecond
        let own = throughput?.messagesPerSecond ?? number ?? Self.defaultMessagesPerSecond
        return number.map { min(own, $0) } ?? own
    }
}
