/// A reply agents pick by shortcode in the inbox, with fill-ins from the conversation.
public struct CannedResponseSpec: Sendable, Hashable, Codable {
    public var shortcode: String
    public var text: String
    /// Teams that see it (empty: everyone).
    public var teams: [String]

    public init(shortcode: String, text: String, teams: [String] = []) {
        self.shortcode = shortcode
        self.text = text
        self.teams = teams
    }

    /// The fill-ins a text may use.
    public static let fillIns = ["contact.name", "contact.phone", "agent.name"]

    public static let schema = ObjectSchema("A canned reply for the inbox, picked by its shortcode.", [
        Property("shortcode", .string(.resourceName), required: true, "What agents type after '/', e.g. eta."),
        Property("text", .string(StringSchema(minLength: 1, maxLength: 4096)), required: true,
                 "The reply; {{contact.name}}, {{contact.phone}} and {{agent.name}} are filled in."),
        Property("teams", .array(items: .string(.resourceName)), default: .array([]), "Teams that see it (empty: everyone)."),
    ])

    /// The text with its fill-ins replaced (a value not known is left empty).
    public func rendered(values: [String: String]) -> String {
        var result = text
        for name in Self.fillIns {
            result = result.replacingOccurrences(of: "{{\(name)}}", with: values[name] ?? "")
        }
        return result
    }

    /// `{{...}}` in the text that are not fill-ins.
    public var unknownFillIns: [String] {
        var unknown: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) {
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !Self.fillIns.contains(name) { unknown.append(name) }
            rest = rest[close.upperBound...]
        }
        return unknown
    }
}
