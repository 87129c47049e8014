/// A set of recipients: from a CSV file, an inline list and/or a filter over known contacts.
public struct AudienceSpec: Sendable, Hashable, Codable {
    public struct CSVSource: Sendable, Hashable, Codable {
        /// As written in YAML, relative to the YAML file.
        public var path: String
        public var phoneColumn: String
        public var nameColumn: String
        public var optOutColumn: String
        /// How the file's bytes are text; nil is UTF-8. Spreadsheets on Windows often save
        /// "CSV" as Windows-1252 or Latin-1, which must be converted, never patched over.
        public var encoding: TextEncoding?
        /// Filled by the loader: the file's content hash, so a changed CSV plans an update.
        public var digest: String?

        public init(path: String, phoneColumn: String = "phone", nameColumn: String = "name", optOutColumn: String = "opt_out",
                    encoding: TextEncoding? = nil, digest: String? = nil) {
            self.path = path
            self.phoneColumn = phoneColumn
            self.nameColumn = nameColumn
            self.optOutColumn = optOutColumn
            self.encoding = encoding
            self.digest = digest
        }
    }

    /// The character encodings a CSV may declare.
    public enum TextEncoding: String, Sendable, Hashable, Codable, CaseIterable {
        case utf8
        /// ISO-8859-1: every byte is the code point of the same value.
        case latin1
        /// Latin-1 with printable characters (€, ‘ ’, “ ”, …) in 0x80-0x9F, as Excel saves on Windows.
        case windows1252
    }

    public struct Contact: Sendable, Hashable, Codable {
        public var phone: String
        public var name: String?
        public var tags: [String]?
        public var attributes: [String: String]?
    }

    public struct Filter: Sendable, Hashable, Codable {
        public var tags: [String]?
        public var attributes: [String: String]?
        public var lastInboundWithin: String?
    }

    public struct Exclude: Sendable, Hashable, Codable {
        public var tags: [String]?
        public var phones: [String]?
    }

    public var integration: String?
    public var description: String?
    public var defaultCountryCode: String?
    public var csv: CSVSource?
    public var contacts: [Contact]?
    public var filter: Filter?
    public var exclude: Exclude?

    public static let schema = ObjectSchema("Recipients for campaigns; opted-out contacts are always excluded.", [
        Property("integration", .string(.resourceName), "Integration whose contacts these are (default: the only one)."),
        Property("description", .string, "What this audience is for."),
        Property("defaultCountryCode", .string(.countryCode), "Calling code for numbers written without '+' (default: the integration's)."),
        Property("csv", .object(ObjectSchema("A CSV file with a header row.", [
            Property("path", .string(StringSchema(minLength: 1)), required: true, "CSV path, relative to this YAML file."),
            Property("phoneColumn", .string, default: .string("phone"), "Column holding the phone number."),
            Property("nameColumn", .string, default: .string("name"), "Column holding the contact's name."),
            Property("optOutColumn", .string, default: .string("opt_out"),
                     "Column that marks a contact opted out (true/yes/1); such contacts are never messaged."),
            Property("encoding", .oneOf(TextEncoding.allCases.map(\.rawValue)),
                     "The file's character encoding: utf8 (when left out), latin1 or windows1252. A file that is not valid "
                     + "in its encoding is refused, naming the line and column of the first bad byte."),
        ])), "Contacts from a CSV file; other columns become attributes."),
        Property("contacts", .array(items: .object(ObjectSchema("An inline contact.", [
            Property("phone", .string(.e164), required: true, "Phone number in E.164 form."),
            Property("name", .string, "Display name."),
            Property("tags", .array(items: .string), "Tags."),
            Property("attributes", .map(values: .string), "Attributes for template parameters."),
        ]))), "Inline contacts."),
        Property("filter", .object(ObjectSchema("Known contacts matching all conditions.", [
            Property("tags", .array(items: .string), "Contacts carrying every one of these tags."),
            Property("attributes", .map(values: .string), "Contacts whose attributes equal these values."),
            Property("lastInboundWithin", .string(.duration), "Contacts who wrote to us within this duration, e.g. 24h."),
        ])), "A filter over contacts BizOne already knows."),
        Property("exclude", .object(ObjectSchema("Contacts to leave out.", [
            Property("tags", .array(items: .string), "Leave out contacts with any of these tags."),
            Property("phones", .array(items: .string(.e164)), "Leave out these numbers."),
        ])), "Exclusions, applied after the sources are combined."),
    ], rules: [.atLeastOneOf(["csv", "contacts", "filter"])])
}
