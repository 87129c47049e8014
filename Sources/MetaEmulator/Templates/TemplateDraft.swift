import BizOneModel
import MetaGraph

/// A create request that passed validation.
struct TemplateDraft: Sendable {
    var name: String
    var language: String
    var category: String
    var parameterFormat: String
    var components: [TemplateComponent]
    var ttl: Int?
    var subCategory: String?

    static let categories = ["AUTHENTICATION", "MARKETING", "UTILITY"]

    /// Validates `POST /{waba-id}/message_templates` parameters like Meta (reference §6).
    init(parameters: [String: JSONValue]) throws {
        guard let name = parameters["name"]?.textValue, !name.isEmpty else { throw EmulatorGraphError.required("name") }
        guard let language = parameters["language"]?.textValue, !language.isEmpty else { throw EmulatorGraphError.required("language") }
        guard let categoryText = parameters["category"]?.textValue, !categoryText.isEmpty else { throw EmulatorGraphError.required("category") }
        guard let componentsValue = parameters["components"], !componentsValue.isNull else { throw EmulatorGraphError.required("components") }
        try Self.checkName(name)
        try Self.checkLanguage(language)
        let category = categoryText.uppercased()
        guard Self.categories.contains(category) else { throw EmulatorGraphError.notOneOf("category", Self.categories, got: categoryText) }
        let format = try Self.parameterFormat(parameters["parameter_format"])
        let ttl = try Self.ttl(parameters["message_send_ttl_seconds"], category: category)
        let components = try Self.decodeComponents(componentsValue)
        self.name = name
        self.language = language
        self.category = category
        self.parameterFormat = format
        self.components = try ComponentRules(category: category, parameterFormat: format).check(components)
        self.ttl = ttl
        self.subCategory = parameters["sub_category"]?.textValue?.uppercased()
    }

    static func checkName(_ name: String) throws {
        if name.unicodeScalars.count > 512 {
            throw EmulatorGraphError.template(TemplateSubcode.fieldTooLong, title: "Template name is too long",
                                      message: "Template names can have at most 512 characters; this one has \(name.unicodeScalars.count).")
        }
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        if !allowed {
            throw EmulatorGraphError.template(nil, title: "Invalid template name",
                                      message: "Template name \"\(name)\" can contain only lower-case letters (a-z), numbers and underscores.")
        }
    }

    static func checkLanguage(_ language: String) throws {
        guard MetaLanguages.all.contains(language) else {
            throw EmulatorGraphError.template(nil, title: "Language not supported",
                                      message: "\"\(language)\" is not a language code Meta supports for message templates (for example en_US, pt_BR, id).")
        }
    }

    static func parameterFormat(_ value: JSONValue?) throws -> String {
        guard let value, !value.isNull else { return "POSITIONAL" }
        let text = value.textValue ?? ""
        switch text.lowercased() {
        case "positional": return "POSITIONAL"
        case "named": return "NAMED"
        default: throw EmulatorGraphError.notOneOf("parameter_format", ["NAMED", "POSITIONAL"], got: text)
        }
    }

    /// `message_send_ttl_seconds` per category (reference §6.10).
    static func ttl(_ value: JSONValue?, category: String) throws -> Int? {
        guard let value, !value.isNull else { return nil }
        guard let ttl = value.intValue else { throw EmulatorGraphError.param("Param message_send_ttl_seconds must be an integer") }
        let range: ClosedRange<Int>
        let unlimited: Bool
        switch category {
        case "AUTHENTICATION": (range, unlimited) = (30...900, true)
        case "UTILITY": (range, unlimited) = (30...43_200, true)
        default: (range, unlimited) = (43_200...2_592_000, false)
        }
        if range.contains(ttl) || (unlimited && ttl == -1) { return ttl }
        throw EmulatorGraphError.template(nil, title: "Invalid time-to-live",
                                  message: "message_send_ttl_seconds for \(category) templates must be between \(range.lowerBound) and \(range.upperBound)\(unlimited ? " (or -1)" : ""); got \(ttl).")
    }

    static func decodeComponents(_ value: JSONValue) throws -> [TemplateComponent] {
        guard case .array = value else { throw EmulatorGraphError.param("Param components must be an array") }
        do {
            return try value.decode([TemplateComponent].self)
        } catch {
            throw EmulatorGraphError.invalidJSON("components: \(DecodingErrorText.describe(error))")
        }
    }
}
