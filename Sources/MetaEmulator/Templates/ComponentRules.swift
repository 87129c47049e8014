import BizOneModel
import MetaGraph

/// Meta's component rules (reference §6.4-§6.8), applied to create and edit requests. Returns the
/// components normalised the way Meta returns them, or throws the first problem as Meta's error.
/// Adjacent variables are not refused here: Meta accepts them and rejects the template in review
/// (`INVALID_FORMAT`), see `TemplateReviewer`.
struct ComponentRules {
    let category: String
    /// `POSITIONAL` or `NAMED`.
    let parameterFormat: String

    static let types = ["BODY", "BUTTONS", "FOOTER", "HEADER"]
    static let headerFormats = ["DOCUMENT", "GIF", "IMAGE", "LOCATION", "TEXT", "VIDEO"]
    static let buttonTypes = ["CATALOG", "COPY_CODE", "FLOW", "MPM", "OTP", "PHONE_NUMBER", "QUICK_REPLY", "SPM", "URL", "VOICE_CALL"]

    var isNamed: Bool { parameterFormat == "NAMED" }

    func check(_ raw: [TemplateComponent]) throws -> [TemplateComponent] {
        let components = raw.map(Self.normalise)
        var seen = Set<String>()
        for component in components {
            guard Self.types.contains(component.type) else {
                throw EmulatorGraphError.notOneOf("components['type']", Self.types, got: component.type)
            }
            guard seen.insert(component.type).inserted else {
                throw EmulatorGraphError.template(nil, title: "Duplicate component",
                                          message: "A template can have only one \(component.type) component.")
            }
        }
        if category == "AUTHENTICATION" {
            try checkAuthentication(components)
            return components
        }
        guard let body = components.first(where: { $0.type == "BODY" }) else {
            throw EmulatorGraphError.template(TemplateSubcode.bodyFormat, title: "Message template body is missing",
                                      message: "A template needs a BODY component with text.")
        }
        if let header = components.first(where: { $0.type == "HEADER" }) { try checkHeader(header) }
        try checkBody(body)
        if let footer = components.first(where: { $0.type == "FOOTER" }) { try checkFooter(footer) }
        if let buttons = components.first(where: { $0.type == "BUTTONS" }) { try checkButtons(buttons.buttons ?? []) }
        return components
    }

    static func normalise(_ component: TemplateComponent) -> TemplateComponent {
        var copy = component
        copy.type = component.type.uppercased()
        copy.format = component.format?.uppercased()
        copy.buttons = component.buttons?.map { button in
            var button = button
            button.type = button.type.uppercased()
            button.otpType = button.otpType?.uppercased()
            return button
        }
        return copy
    }

    // MARK: - Header

    func checkHeader(_ header: TemplateComponent) throws {
        let subcode = TemplateSubcode.headerFormat
        guard let format = header.format else {
            throw EmulatorGraphError.template(subcode, title: "Header format is incorrect",
                                      message: "A HEADER needs a format: TEXT, IMAGE, VIDEO, DOCUMENT, GIF or LOCATION.")
        }
        switch format {
        case "TEXT":
            guard let text = header.text, !Self.isBlank(text) else {
                throw EmulatorGraphError.template(subcode, title: "Header format is incorrect", message: "A TEXT header needs text.")
            }
            try Self.checkLength(text, limit: 60, what: "header")
            if text.contains("\n") || text.contains("*") || text.contains("~") || text.contains("`")
                || text.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation }) {
                throw EmulatorGraphError.template(subcode, title: "Header format is incorrect",
                                          message: "Header text can't contain new lines, emojis or formatting characters (*, ~, `).")
            }
            let placeholders = try scan(text, component: "header", subcode: subcode)
            let keys = Self.uniqueKeys(placeholders)
            if keys.count > 1 {
                throw EmulatorGraphError.template(subcode, title: "Header format is incorrect",
                                          message: "A header can contain at most 1 variable; this one has \(keys.count).")
            }
            try checkExamples(keys, positional: header.example?.headerText, named: header.example?.headerTextNamedParams,
                              component: "HEADER", subcode: subcode)
        case "IMAGE", "VIDEO", "DOCUMENT", "GIF":
            if format == "GIF", category != "MARKETING" {
                throw EmulatorGraphError.template(subcode, title: "Header format is incorrect",
                                          message: "GIF headers are only available for MARKETING templates.")
            }
            guard let handles = header.example?.headerHandle, handles.contains(where: { !Self.isBlank($0) }) else {
                throw EmulatorGraphError.template(TemplateSubcode.missingExample, title: "Missing sample media",
                                          message: "component of type HEADER is missing expected field(s) (example.header_handle)")
            }
        case "LOCATION":
            break
        default:
            throw EmulatorGraphError.notOneOf("components['format']", Self.headerFormats, got: format)
        }
    }

    // MARK: - Body

    func checkBody(_ body: TemplateComponent) throws {
        let subcode = TemplateSubcode.bodyFormat
        guard let text = body.text, !Self.isBlank(text) else {
            throw EmulatorGraphError.template(subcode, title: "Body format is incorrect", message: "The BODY component needs text.")
        }
        try Self.checkLength(text, limit: 1024, what: "body")
        let placeholders = try scan(text, component: "body", subcode: subcode)
        if let first = placeholders.first, Self.isBlank(text.unicodeScalars[..<first.range.lowerBound]) {
            throw EmulatorGraphError.template(TemplateSubcode.danglingVariable, title: "Variables can't be at the start or end of the template",
                                      message: "The body starts with the variable \(first). Add text before the first variable.")
        }
        if let last = placeholders.last, Self.isBlank(text.unicodeScalars[last.range.upperBound...]) {
            throw EmulatorGraphError.template(TemplateSubcode.danglingVariable, title: "Variables can't be at the start or end of the template",
                                      message: "The body ends with the variable \(last). Add text after the last variable.")
        }
        let keys = Self.uniqueKeys(placeholders)
        try checkExamples(keys, positional: body.example?.bodyText?.first, named: body.example?.bodyTextNamedParams,
                          component: "BODY", subcode: subcode, positionalIsNested: true, nestedRows: body.example?.bodyText?.count)
        let words = Self.wordCount(text, without: placeholders)
        if keys.count > words {
            throw EmulatorGraphError.template(TemplateSubcode.tooManyVariables, title: "Too many variables for the message length",
                                      message: "The body has \(keys.count) variables but only \(words) words of text. Add more text or use fewer variables.")
        }
    }

    // MARK: - Footer

    func checkFooter(_ footer: TemplateComponent) throws {
        guard let text = footer.text, !Self.isBlank(text) else {
            throw EmulatorGraphError.template(TemplateSubcode.footerFormat, title: "Footer format is incorrect", message: "The FOOTER component needs text.")
        }
        try Self.checkLength(text, limit: 60, what: "footer")
        if text.contains("{{") || text.contains("}}") {
            throw EmulatorGraphError.template(TemplateSubcode.footerFormat, title: "Footer format is incorrect",
                                      message: "Footers can't contain variables.")
        }
    }

    // MARK: - Buttons

    func checkButtons(_ buttons: [TemplateButton]) throws {
        func refuse(_ message: String) -> EmulatorGraphError {
            EmulatorGraphError.template(nil, title: "Buttons are incorrect", message: message)
        }
        guard !buttons.isEmpty else { throw refuse("A BUTTONS component needs at least one button.") }
        if buttons.count > 10 { throw refuse("A template can have at most 10 buttons; this one has \(buttons.count).") }
        for button in buttons where !Self.buttonTypes.contains(button.type) {
            throw EmulatorGraphError.notOneOf("buttons['type']", Self.buttonTypes, got: button.type)
        }
        for (type, limit) in [("URL", 2), ("PHONE_NUMBER", 1), ("COPY_CODE", 1)] {
            let count = buttons.filter { $0.type == type }.count
            if count > limit { throw refuse("A template can have at most \(limit) \(type) button\(limit == 1 ? "" : "s"); this one has \(count).") }
        }
        if buttons.contains(where: { $0.type == "OTP" }) {
            throw refuse("OTP buttons are only for AUTHENTICATION templates.")
        }
        let quickReplies = buttons.map { $0.type == "QUICK_REPLY" }
        if zip(quickReplies, quickReplies.dropFirst()).filter({ $0 != $1 }).count > 1 {
            throw refuse("Quick reply buttons and other buttons must be grouped: put all QUICK_REPLY buttons before or after the others.")
        }
        for (index, button) in buttons.enumerated() {
            if ["QUICK_REPLY", "URL", "PHONE_NUMBER"].contains(button.type) {
                guard let text = button.text, !Self.isBlank(text) else { throw refuse("Button \(index) (\(button.type)) needs text.") }
                try Self.checkLength(text, limit: 25, what: "button \(index) text")
            }
            switch button.type {
            case "URL": try checkURLButton(button, index: index)
            case "PHONE_NUMBER":
                guard let number = button.phoneNumber, !Self.isBlank(number) else {
                    throw refuse("Button \(index) (PHONE_NUMBER) needs phone_number.")
                }
                try Self.checkLength(number, limit: 20, what: "button \(index) phone number")
            case "COPY_CODE":
                guard let example = button.example?.values.first, !Self.isBlank(example) else {
                    throw EmulatorGraphError.template(TemplateSubcode.missingExample, title: "Missing sample values",
                                              message: "component of type BUTTONS is missing expected field(s) (example)")
                }
                try Self.checkLength(example, limit: 15, what: "button \(index) example")
            default: break
            }
        }
    }

    func checkURLButton(_ button: TemplateButton, index: Int) throws {
        guard let url = button.url, !Self.isBlank(url) else {
            throw EmulatorGraphError.template(nil, title: "Buttons are incorrect", message: "Button \(index) (URL) needs url.")
        }
        try Self.checkLength(url, limit: 2000, what: "button \(index) URL")
        let (placeholders, problems) = TemplatePlaceholders.scan(url)
        if let problem = problems.first {
            throw EmulatorGraphError.template(nil, title: "Buttons are incorrect", message: "Button \(index) URL: \(problem).")
        }
        if placeholders.count > 1 || (placeholders.first.map { $0.range.upperBound != url.endIndex } ?? false) {
            throw EmulatorGraphError.template(nil, title: "Buttons are incorrect",
                                      message: "Button \(index) URL can have one variable, at the very end of the URL.")
        }
        guard !placeholders.isEmpty else { return }
        guard let examples = button.example?.values, !examples.isEmpty else {
            throw EmulatorGraphError.template(TemplateSubcode.missingExample, title: "Missing sample values",
                                      message: "component of type BUTTONS is missing expected field(s) (example)")
        }
        if examples.count != 1 {
            throw EmulatorGraphError.template(nil, title: "Buttons are incorrect",
                                      message: "Button \(index) URL has 1 variable but \(examples.count) example values.")
        }
    }

    // MARK: - AUTHENTICATION

    func checkAuthentication(_ components: [TemplateComponent]) throws {
        guard components.contains(where: { $0.type == "BODY" }) else {
            throw EmulatorGraphError.template(TemplateSubcode.bodyFormat, title: "Message template body is missing",
                                      message: "An AUTHENTICATION template needs a BODY component.")
        }
        if components.contains(where: { $0.type == "HEADER" }) {
            throw EmulatorGraphError.template(TemplateSubcode.headerFormat, title: "Header format is incorrect",
                                      message: "AUTHENTICATION templates can't have a header.")
        }
        if let minutes = components.first(where: { $0.type == "FOOTER" })?.codeExpirationMinutes, !(1...90).contains(minutes) {
            throw EmulatorGraphError.template(TemplateSubcode.footerFormat, title: "Footer format is incorrect",
                                      message: "code_expiration_minutes must be between 1 and 90; got \(minutes).")
        }
        if let buttons = components.first(where: { $0.type == "BUTTONS" })?.buttons {
            guard buttons.count == 1, buttons[0].type == "OTP" else {
                throw EmulatorGraphError.template(nil, title: "Buttons are incorrect",
                                          message: "AUTHENTICATION templates have exactly one OTP button.")
            }
        }
    }

    // MARK: - Placeholders and examples

    /// The well-formed placeholders, after checking syntax, format and numbering.
    func scan(_ text: String, component: String, subcode: Int) throws -> [TemplatePlaceholder] {
        let title = component == "header" ? "Header format is incorrect" : "Body format is incorrect"
        let (placeholders, problems) = TemplatePlaceholders.scan(text)
        if let problem = problems.first {
            throw EmulatorGraphError.template(subcode, title: title, message: "The \(component) has a malformed variable: \(problem).")
        }
        for placeholder in placeholders where placeholder.isPositional == isNamed {
            let expected = isNamed ? "named parameters such as {{first_name}}" : "positional parameters {{1}}, {{2}}, ..."
            throw EmulatorGraphError.template(subcode, title: title,
                                      message: "This template's parameter_format is \(parameterFormat.lowercased()), so the \(component) must use \(expected); found \(placeholder).")
        }
        if !isNamed {
            let order = Self.uniqueKeys(placeholders)
            let expected = (0..<order.count).map { String($0 + 1) }
            if order != expected {
                throw EmulatorGraphError.template(subcode, title: title,
                                          message: "The \(component) variables must be numbered {{1}}, {{2}}, ... in order, without gaps; found \(order.map { "{{\($0)}}" }.joined(separator: ", ")).")
            }
        }
        return placeholders
    }

    /// Every variable has exactly one sample and every sample a variable (reference §6.7).
    func checkExamples(_ keys: [String], positional: [String]?, named: [NamedParameterExample]?, component: String, subcode: Int,
                       positionalIsNested: Bool = false, nestedRows: Int? = nil) throws {
        let title = component == "HEADER" ? "Header format is incorrect" : "Body format is incorrect"
        if isNamed {
            guard let named else {
                if keys.isEmpty { return }
                throw EmulatorGraphError.template(TemplateSubcode.missingExample, title: "Missing sample values",
                                          message: "component of type \(component) is missing expected field(s) (example)")
            }
            let given = named.map(\.paramName)
            if Set(given) != Set(keys) || given.count != Set(given).count {
                throw EmulatorGraphError.template(subcode, title: title,
                                          message: "The \(component.lowercased()) uses \(keys.map { "{{\($0)}}" }.joined(separator: ", ")) but the examples name \(given.joined(separator: ", ")); give one example per named parameter.")
            }
        } else {
            guard let positional else {
                if keys.isEmpty { return }
                throw EmulatorGraphError.template(TemplateSubcode.missingExample, title: "Missing sample values",
                                          message: "component of type \(component) is missing expected field(s) (example)")
            }
            if positionalIsNested, let rows = nestedRows, rows != 1 {
                throw EmulatorGraphError.template(subcode, title: title, message: "example.body_text must be an array holding one array of values.")
            }
            if positional.count != keys.count {
                throw EmulatorGraphError.template(subcode, title: title,
                                          message: "The \(component.lowercased()) has \(keys.count) variable\(keys.count == 1 ? "" : "s") but \(positional.count) example value\(positional.count == 1 ? "" : "s").")
            }
        }
    }

    static func uniqueKeys(_ placeholders: [TemplatePlaceholder]) -> [String] {
        var keys: [String] = []
        for placeholder in placeholders where !keys.contains(placeholder.name) { keys.append(placeholder.name) }
        return keys
    }

    static func checkLength(_ text: String, limit: Int, what: String) throws {
        let length = text.unicodeScalars.count
        if length > limit {
            throw EmulatorGraphError.template(TemplateSubcode.fieldTooLong, title: "Message template character limit exceeded",
                                      message: "The \(what) has \(length) characters; the limit is \(limit).")
        }
    }

    static func isBlank(_ text: String) -> Bool { text.unicodeScalars.allSatisfy { $0.properties.isWhitespace } }

    static func isBlank(_ scalars: Substring.UnicodeScalarView) -> Bool { scalars.allSatisfy { $0.properties.isWhitespace } }

    /// Meta's reviewers and BizOne's validator count words the same way.
    static func wordCount(_ text: String, without placeholders: [TemplatePlaceholder]) -> Int {
        TemplateRules.wordCount(text, without: placeholders)
    }
}
