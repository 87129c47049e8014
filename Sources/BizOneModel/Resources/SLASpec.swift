/// Service-level targets for conversations: how soon the first answer, each next answer and
/// the resolution must come, counted in business hours, and what happens on a breach.
public struct SLASpec: Sendable, Hashable, Codable {
    public struct Targets: Sendable, Hashable, Codable {
        public var firstResponse: String?
        public var nextResponse: String?
        public var resolution: String?

        public init(firstResponse: String? = nil, nextResponse: String? = nil, resolution: String? = nil) {
            self.firstResponse = firstResponse
            self.nextResponse = nextResponse
            self.resolution = resolution
        }
    }

    public struct BusinessHours: Sendable, Hashable, Codable {
        public var timezone: String
        public var days: [String]
        public var start: String
        public var end: String

        public init(timezone: String, days: [String], start: String, end: String) {
            self.timezone = timezone
            self.days = days
            self.start = start
            self.end = end
        }
    }

    public struct AppliesTo: Sendable, Hashable, Codable {
        public var teams: [String]
        public var labels: [String]
        /// WebhookRoutes whose inbox action assigned the conversation.
        public var routes: [String]

        public init(teams: [String] = [], labels: [String] = [], routes: [String] = []) {
            self.teams = teams
            self.labels = labels
            self.routes = routes
        }
    }

    public struct Escalation: Sendable, Hashable, Codable {
        public var assignTeam: String?
        public var assignUser: String?
        public var addLabel: String?
        /// A WebhookRoute whose `forward` actions get the conversation's newest customer event.
        public var forwardRoute: String?

        public init(assignTeam: String? = nil, assignUser: String? = nil, addLabel: String? = nil, forwardRoute: String? = nil) {
            self.assignTeam = assignTeam
            self.assignUser = assignUser
            self.addLabel = addLabel
            self.forwardRoute = forwardRoute
        }
    }

    public var description: String?
    public var targets: Targets
    public var businessHours: BusinessHours?
    public var appliesTo: AppliesTo
    public var escalation: Escalation?

    public init(description: String? = nil, targets: Targets, businessHours: BusinessHours? = nil, appliesTo: AppliesTo = AppliesTo(),
                escalation: Escalation? = nil) {
        self.description = description
        self.targets = targets
        self.businessHours = businessHours
        self.appliesTo = appliesTo
        self.escalation = escalation
    }

    public static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public static let schema = ObjectSchema("Response and resolution targets for conversations, and the escalation on a breach.", [
        Property("description", .string, "What this SLA is for."),
        Property("targets", .object(ObjectSchema("Targets, as durations of business time (e.g. 5m, 1h, 1d).", [
            Property("firstResponse", .string(.duration), "From the customer's first message to the first reply."),
            Property("nextResponse", .string(.duration), "From a customer message that waits to the reply to it."),
            Property("resolution", .string(.duration), "From the first message to the conversation resolved."),
        ], rules: [.atLeastOneOf(["firstResponse", "nextResponse", "resolution"])])), required: true, "At least one target."),
        Property("businessHours", .object(ObjectSchema("When the SLA clock runs (without: always).", [
            Property("timezone", .string(.timezone), default: .string("UTC"), "IANA time zone, e.g. Asia/Jakarta."),
            Property("days", .array(items: .oneOf(weekdays), minItems: 1), default: .array(["mon", "tue", "wed", "thu", "fri"].map { .string($0) }),
                     "Working days."),
            Property("start", .string(.localTime), required: true, "Start of the working day, HH:MM local time."),
            Property("end", .string(.localTime), required: true, "End of the working day, HH:MM local time (after start)."),
        ])), "Business hours; the clock stops outside them."),
        Property("appliesTo", .object(ObjectSchema("Which conversations it covers; empty lists cover every conversation.", [
            Property("teams", .array(items: .string(.resourceName)), default: .array([]), "Conversations assigned to these teams."),
            Property("labels", .array(items: .string), default: .array([]), "Conversations with any of these labels."),
            Property("routes", .array(items: .string(.resourceName)), default: .array([]),
                     "Conversations assigned by these WebhookRoutes' inbox actions."),
        ])), default: .object([:]), "Coverage (a conversation must match every non-empty list)."),
        Property("escalation", .object(ObjectSchema("What a breach does.", [
            Property("assignTeam", .string(.resourceName), "Reassign the conversation to this team."),
            Property("assignUser", .string(.resourceName), "Reassign it to this User."),
            Property("addLabel", .string, "Add this label."),
            Property("forwardRoute", .string(.resourceName),
                     "A WebhookRoute whose forward actions get the conversation's newest customer event (e.g. to a pager)."),
        ])), "Escalation on a breach (it is recorded and counted either way)."),
    ])
}
