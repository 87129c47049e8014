/// When campaign runs happen: once (`at`) or repeatedly (`cron` in a time zone).
public struct ScheduleSpec: Sendable, Hashable, Codable {
    public struct Window: Sendable, Hashable, Codable {
        public var start: String
        public var end: String
    }

    public var description: String?
    public var at: String?
    public var cron: String?
    public var timezone: String
    public var window: Window?
    public var expireAfter: String?

    public static let schema = ObjectSchema("A one-off time or a cron schedule in an IANA time zone.", [
        Property("description", .string, "What this schedule is for."),
        Property("at", .string(.dateTime), "One-off run time, ISO 8601 with offset."),
        Property("cron", .string(.cron), "Five-field cron expression, evaluated in `timezone`."),
        Property("timezone", .string(.timezone), default: .string("UTC"), "IANA time zone, e.g. Asia/Jakarta."),
        Property("window", .object(ObjectSchema("Local hours in which sending may happen.", [
            Property("start", .string(.localTime), required: true, "Start of the window, HH:MM local time."),
            Property("end", .string(.localTime), required: true, "End of the window, HH:MM local time."),
        ])), "Sending pauses outside this window and resumes inside it."),
        Property("expireAfter", .string(.duration), "A run that cannot start within this long after its due time is skipped."),
    ], rules: [.exactlyOneOf(["at", "cron"])])
}
