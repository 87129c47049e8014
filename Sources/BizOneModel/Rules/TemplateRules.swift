/// Pure checks of a template against what Meta would reject (reference §6.3-§6.10), so problems
/// surface before anything is sent. Lengths are counted in Unicode code points, as JSON Schema's
/// `maxLength` does.
public enum TemplateRules {
    /// Meta's published limits.
    public enum Limits {
        public static let bodyText = 1024
        public static let headerText = 60
        public static let footer = 60
        public static let buttonText = 25
        public static let url = 2000
        public static let copyCodeExample = 15
        public static let phoneNumber = 20
        public static let buttons = 10
        public static let urlButtons = 2
        public static let phoneNumberButtons = 1
        public static let copyCodeButtons = 1
        public static let headerVariables = 1
        public static let codeExpirationMinutes = 1...90

        /// Allowed `message_send_ttl_seconds` per category (§6.10); see `ttlAllowsUnlimited` for -1.
        public static func ttlSeconds(_ category: TemplateSpec.Category) -> ClosedRange<Int> {
            switch category {
            case .authentication: return 30...900
            case .utility: return 30...43_200
            case .marketing: return 43_200...2_592_000
            }
        }

        /// Whether -1 (30 days) is accepted as a TTL for the category.
        public static func ttlAllowsUnlimited(_ category: TemplateSpec.Category) -> Bool {
            category != .marketing
        }
    }

    /// Every problem in the template, each with its field path from the document root
    /// (`spec.body.text`, `spec.buttons[2].url`). Errors and warnings, in document order.
    public static func check(_ spec: TemplateSpec) -> [FieldIssue] {
        var checker = Checker(spec: spec)
        checker.run()
        return checker.issues
    }
}

extension TemplateRules {
    /// Han and kana: scripts written without spaces between words.
    static func isSpacelessScript(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF: return true
        default: return false
        }
    }

    /// Words of plain text outside the placeholders: whitespace-separated runs holding a letter or
    /// digit. Han and kana characters count one word each, since those scripts do not use spaces.
    public static func wordCount(_ text: String, without placeholders: [TemplatePlaceholder]) -> Int {
        var plain = String.UnicodeScalarView()
        var cursor = text.unicodeScalars.startIndex
        for placeholder in placeholders {
            plain.append(contentsOf: text.unicodeScalars[cursor..<placeholder.range.lowerBound])
            plain.append(" ")
            cursor = placeholder.range.upperBound
        }
        plain.append(contentsOf: text.unicodeScalars[cursor...])
        var count = 0
        for token in String(plain).split(whereSeparator: { $0.isWhitespace }) {
            let scalars = token.unicodeScalars
            let spaceless = scalars.filter(isSpacelessScript).count
            if spaceless > 0 {
                count += spaceless
            } else if scalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) {
                count += 1
            }
        }
        return count
    }
}

private struct Checker {
    let spec: TemplateSpec
    var issues: [FieldIssue] = []

    init(spec: TemplateSpec) { self.spec = spec }

    static let placeholderHint = "write placeholders as {{1}}, {{2}} (positional) or {{first_name}} (named: lower-case letters and '_')"

    mutating func error(_ path: String, _ message: String, hint: String? = nil) {
        issues.append(FieldIssue(path, message, hint: hint))
    }

    mutating func warning(_ path: String, _ message: String, hint: String? = nil) {
        issues.append(FieldIssue(path, message, hint: hint, severity: .warning))
    }

    var category: String { spec.category.rawValue }

    mutating func run() {
        if spec.category == .authentication {
            checkAuthenticationStructure()
        } else {
            checkRegularStructure()
        }
        checkTTL()
    }

    // MARK: - Category structure

    mutating func checkAuthenticationStructure() {
        let preset = "Meta presets the content of AUTHENTICATION templates"
        if let header = spec.header {
            if header.format == .location {
                error("spec.header", "LOCATION headers are only for UTILITY or MARKETING templates, not AUTHENTICATION",
                      hint: "remove the header; \(preset)")
            } else {
                error("spec.header", "AUTHENTICATION templates cannot have a header", hint: "remove it; \(preset)")
            }
        }
        if spec.body != nil {
            error("spec.body", "AUTHENTICATION templates cannot have a body",
                  hint: "remove it; Meta presets the body (authentication.addSecurityRecommendation adds the disclaimer)")
        }
        if spec.footer != nil {
            error("spec.footer", "AUTHENTICATION templates cannot have a footer",
                  hint: "remove it; set authentication.codeExpirationMinutes for the expiry footer")
        }
        if !spec.buttons.isEmpty {
            error("spec.buttons", "AUTHENTICATION templates cannot have buttons",
                  hint: "remove them; Meta adds the OTP button (authentication.otpType and authentication.buttonText)")
        }
        guard let authentication = spec.authentication else {
            error("spec.authentication", "AUTHENTICATION templates need `authentication`",
                  hint: "add authentication: { otpType: COPY_CODE } (and optionally codeExpirationMinutes, buttonText)")
            return
        }
        if let minutes = authentication.codeExpirationMinutes, !TemplateRules.Limits.codeExpirationMinutes.contains(minutes) {
            let range = TemplateRules.Limits.codeExpirationMinutes
            error("spec.authentication.codeExpirationMinutes",
                  "codeExpirationMinutes is \(minutes); Meta allows \(range.lowerBound)-\(range.upperBound)")
        }
        if let text = authentication.buttonText {
            checkLabel(text, path: "spec.authentication.buttonText", what: "buttonText")
        }
    }

    mutating func checkRegularStructure() {
        if spec.authentication != nil {
            error("spec.authentication", "`authentication` is only for AUTHENTICATION templates; this one is \(category)",
                  hint: "remove it, or set category: AUTHENTICATION")
        }
        var components: [(path: String, placeholders: [TemplatePlaceholder])] = []
        if let header = spec.header, let placeholders = checkHeader(header) {
            components.append(("spec.header.text", placeholders))
        }
        if let body = spec.body {
            components.append(("spec.body.text", checkBody(body)))
        } else {
            error("spec.body", "\(category) templates need a body", hint: "add body: { text: ... }")
        }
        if let footer = spec.footer { checkFooter(footer) }
        components += checkButtons()
        checkParameterFormat(components)
    }

    // MARK: - Header

    /// Checks the header; returns the placeholders of a text header.
    mutating func checkHeader(_ header: TemplateSpec.Header) -> [TemplatePlaceholder]? {
        let format = header.format.rawValue
        switch header.format {
        case .text:
            if header.mediaExample != nil {
                error("spec.header.mediaExample", "a TEXT header cannot have `mediaExample`",
                      hint: "remove it, or set the header format to IMAGE, VIDEO or DOCUMENT")
            }
            guard let text = header.text, !isBlank(text) else {
                error("spec.header.text", "a TEXT header needs `text`", hint: "add text, or remove the header")
                return nil
            }
            let length = Self.length(text)
            if length > TemplateRules.Limits.headerText {
                error("spec.header.text", "header text is \(length) characters; Meta allows at most \(TemplateRules.Limits.headerText)",
                      hint: "shorten the header")
            }
            let (placeholders, problems) = TemplatePlaceholders.scan(text)
            for problem in problems { error("spec.header.text", problem, hint: Self.placeholderHint) }
            if placeholders.count > TemplateRules.Limits.headerVariables {
                error("spec.header.text",
                      "header text has \(placeholders.count) variables; Meta allows at most \(TemplateRules.Limits.headerVariables)",
                      hint: "keep one variable in the header and move the others to the body")
            }
            checkNumbering(placeholders, path: "spec.header.text", component: "header")
            checkExamples(header.examples ?? [:], placeholders: placeholders, textIsClean: problems.isEmpty,
                          path: "spec.header.examples", component: "header")
            return placeholders
        case .image, .video, .document:
            if header.mediaExample.map(isBlank) ?? true {
                error("spec.header.mediaExample", "a\(format == "IMAGE" ? "n" : "") \(format) header needs `mediaExample`",
                      hint: "upload a sample with Meta's Resumable Upload API and put its handle here")
            }
            if header.text != nil {
                error("spec.header.text", "a\(format == "IMAGE" ? "n" : "") \(format) header cannot have text",
                      hint: "remove it, or set the header format to TEXT")
            }
            if let examples = header.examples, !examples.isEmpty {
                error("spec.header.examples", "`examples` belongs only to TEXT headers; a media header uses `mediaExample`")
            }
        case .location:
            if header.text != nil {
                error("spec.header.text", "a LOCATION header cannot have text", hint: "the location is supplied when sending")
            }
            if header.mediaExample != nil {
                error("spec.header.mediaExample", "a LOCATION header cannot have `mediaExample`", hint: "the location is supplied when sending")
            }
            if let examples = header.examples, !examples.isEmpty {
                error("spec.header.examples", "a LOCATION header cannot have `examples`", hint: "the location is supplied when sending")
            }
        }
        return nil
    }

    // MARK: - Body

    mutating func checkBody(_ body: TemplateSpec.Body) -> [TemplatePlaceholder] {
        let text = body.text
        let path = "spec.body.text"
        if isBlank(text) {
            error(path, "body text is empty", hint: "write the message text")
            return []
        }
        let length = Self.length(text)
        if length > TemplateRules.Limits.bodyText {
            error(path, "body is \(length) characters; Meta allows at most \(TemplateRules.Limits.bodyText)",
                  hint: "shorten the body text")
        }
        let (placeholders, problems) = TemplatePlaceholders.scan(text)
        for problem in problems { error(path, problem, hint: Self.placeholderHint) }

        if let first = placeholders.first, isBlank(text.unicodeScalars[..<first.range.lowerBound]) {
            error(path, "body starts with the variable \(first); Meta rejects a body that starts or ends with a variable (error 2388299)",
                  hint: "put at least one word or punctuation mark before the first variable")
        }
        if let last = placeholders.last, isBlank(text.unicodeScalars[last.range.upperBound...]) {
            error(path, "body ends with the variable \(last); Meta rejects a body that starts or ends with a variable (error 2388299)",
                  hint: "put at least one word or punctuation mark after the last variable, e.g. a full stop")
        }
        for (left, right) in zip(placeholders, placeholders.dropFirst())
        where isBlank(text.unicodeScalars[left.range.upperBound..<right.range.lowerBound]) {
            error(path, "variables \(left) and \(right) are separated only by whitespace; Meta rejects adjacent variables (INVALID_FORMAT)",
                  hint: "put words or punctuation between them")
        }
        checkNumbering(placeholders, path: path, component: "body")
        checkExamples(body.examples, placeholders: placeholders, textIsClean: problems.isEmpty,
                      path: "spec.body.examples", component: "body")

        let words = TemplateRules.wordCount(text, without: placeholders)
        if placeholders.count * 2 > words {
            warning(path,
                    "body has \(placeholders.count) variable\(placeholders.count == 1 ? "" : "s") but only \(words) word\(words == 1 ? "" : "s") of text; Meta may reject it for too many variables for its length (2388293); keep at most 1 variable per 2 words",
                    hint: "add more text around the variables or use fewer variables (Meta publishes no exact threshold)")
        }
        return placeholders
    }

    // MARK: - Footer

    mutating func checkFooter(_ footer: String) {
        if isBlank(footer) {
            error("spec.footer", "footer is empty", hint: "write footer text or remove the footer")
            return
        }
        let length = Self.length(footer)
        if length > TemplateRules.Limits.footer {
            error("spec.footer", "footer is \(length) characters; Meta allows at most \(TemplateRules.Limits.footer)",
                  hint: "shorten the footer")
        }
        let (placeholders, problems) = TemplatePlaceholders.scan(footer)
        if let first = placeholders.first {
            error("spec.footer", "footer has the variable \(first); Meta allows no variables in a footer",
                  hint: "move the variable to the body")
        } else if !problems.isEmpty {
            error("spec.footer", "footer contains \"{{\" or \"}}\"; Meta allows no variables in a footer",
                  hint: "remove the braces")
        }
    }

    // MARK: - Buttons

    /// Checks the buttons; returns the placeholders of each URL button, by the path of its `url`.
    mutating func checkButtons() -> [(path: String, placeholders: [TemplatePlaceholder])] {
        let buttons = spec.buttons
        let limits = TemplateRules.Limits.self
        if buttons.count > limits.buttons {
            error("spec.buttons", "\(buttons.count) buttons; Meta allows at most \(limits.buttons)", hint: "remove some buttons")
        }
        for (kind, limit) in [(TemplateSpec.Button.Kind.url, limits.urlButtons),
                              (.phoneNumber, limits.phoneNumberButtons),
                              (.copyCode, limits.copyCodeButtons)] {
            let count = buttons.filter { $0.type == kind }.count
            if count > limit {
                error("spec.buttons", "\(count) \(kind.rawValue) buttons; Meta allows at most \(limit)",
                      hint: "remove \(count - limit) \(kind.rawValue) button\(count - limit == 1 ? "" : "s")")
            }
        }
        let isQuickReply = buttons.map { $0.type == .quickReply }
        let switches = zip(isQuickReply, isQuickReply.dropFirst()).filter { $0 != $1 }.count
        if switches > 1 {
            error("spec.buttons",
                  "quick replies and other buttons must form two groups; found \(buttons.map(\.type.rawValue).joined(separator: ", "))",
                  hint: "put all QUICK_REPLY buttons before or after all other buttons")
        }

        var components: [(path: String, placeholders: [TemplatePlaceholder])] = []
        for (index, button) in buttons.enumerated() {
            let path = "spec.buttons[\(index)]"
            let kind = button.type.rawValue
            let allowed: Set<String>
            switch button.type {
            case .quickReply: allowed = ["text"]
            case .url: allowed = ["text", "url", "example"]
            case .phoneNumber: allowed = ["text", "phoneNumber"]
            case .copyCode: allowed = ["example"]
            }
            let present: [(String, String?)] = [("text", button.text), ("url", button.url),
                                                ("example", button.example), ("phoneNumber", button.phoneNumber)]
            for (field, value) in present where value != nil && !allowed.contains(field) {
                error("\(path).\(field)", "`\(field)` does not belong on a \(kind) button", hint: "remove it")
            }
            if allowed.contains("text") {
                if let text = button.text, !isBlank(text) {
                    checkLabel(text, path: "\(path).text", what: "button label")
                } else {
                    error("\(path).text", "a \(kind) button needs `text` (its label)",
                          hint: "add text, at most \(TemplateRules.Limits.buttonText) characters")
                }
            }
            switch button.type {
            case .url:
                if let placeholders = checkURLButton(button, path: path) {
                    components.append(("\(path).url", placeholders))
                }
            case .phoneNumber:
                if let number = button.phoneNumber, !isBlank(number) {
                    let length = Self.length(number)
                    if length > limits.phoneNumber {
                        error("\(path).phoneNumber", "phone number is \(length) characters; Meta allows at most \(limits.phoneNumber)")
                    }
                } else {
                    error("\(path).phoneNumber", "a PHONE_NUMBER button needs `phoneNumber`", hint: "add the number to call in E.164 form, e.g. +6281234567890")
                }
            case .copyCode:
                if let example = button.example, !isBlank(example) {
                    let length = Self.length(example)
                    if length > limits.copyCodeExample {
                        error("\(path).example", "COPY_CODE example is \(length) characters; Meta allows at most \(limits.copyCodeExample)",
                              hint: "use a shorter sample code")
                    }
                } else {
                    error("\(path).example", "a COPY_CODE button needs `example` (a sample code)", hint: "add example: a code of at most \(limits.copyCodeExample) characters")
                }
            case .quickReply:
                break
            }
        }
        return components
    }

    /// Checks a URL button's `url` and `example`; returns the URL's placeholders when it has a url.
    mutating func checkURLButton(_ button: TemplateSpec.Button, path: String) -> [TemplatePlaceholder]? {
        guard let url = button.url, !isBlank(url) else {
            error("\(path).url", "a URL button needs `url`", hint: "add an https:// URL")
            if button.example.map(isBlank) == true { error("\(path).example", "URL example is empty") }
            return nil
        }
        let length = Self.length(url)
        if length > TemplateRules.Limits.url {
            error("\(path).url", "URL is \(length) characters; Meta allows at most \(TemplateRules.Limits.url)", hint: "shorten the URL")
        }
        let (placeholders, problems) = TemplatePlaceholders.scan(url)
        for problem in problems { error("\(path).url", problem, hint: Self.placeholderHint) }
        if placeholders.count > 1 {
            error("\(path).url", "URL has \(placeholders.count) variables; Meta allows at most 1, at the very end",
                  hint: "keep one variable at the end of the URL")
        } else if let variable = placeholders.first, variable.range.upperBound != url.endIndex {
            error("\(path).url", "URL variable \(variable) must be at the very end of the URL",
                  hint: "move the variable to the end, e.g. https://example.com/track/{{1}}")
        }
        if placeholders.isEmpty {
            if button.example != nil, problems.isEmpty {
                error("\(path).example", "`example` is given but the URL has no variable",
                      hint: "remove example, or end the URL with a variable such as {{1}}")
            }
        } else if let example = button.example {
            if isBlank(example) {
                error("\(path).example", "URL example is empty", hint: "give a sample value for \(placeholders[0])")
            }
        } else {
            error("\(path).example", "a URL with the variable \(placeholders[0]) needs `example`",
                  hint: "add example: a sample value for the variable, e.g. summer2023")
        }
        checkNumbering(placeholders, path: "\(path).url", component: "URL")
        return placeholders
    }

    mutating func checkLabel(_ text: String, path: String, what: String) {
        if isBlank(text) {
            error(path, "\(what) is empty")
            return
        }
        let length = Self.length(text)
        if length > TemplateRules.Limits.buttonText {
            error(path, "\(what) is \(length) characters; Meta allows at most \(TemplateRules.Limits.buttonText)",
                  hint: "shorten the label")
        }
    }

    // MARK: - Parameters

    /// Positional numbers in one component run 1, 2, 3... in order of first appearance.
    mutating func checkNumbering(_ placeholders: [TemplatePlaceholder], path: String, component: String) {
        var order: [String] = []
        for placeholder in placeholders where placeholder.isPositional && !order.contains(placeholder.name) {
            order.append(placeholder.name)
        }
        let expected = (0..<order.count).map { String($0 + 1) }
        if order != expected {
            error(path,
                  "\(component) positional parameters must be numbered \(expected.map { "{{\($0)}}" }.joined(separator: ", ")) in order of first appearance, without gaps; found \(order.map { "{{\($0)}}" }.joined(separator: ", "))",
                  hint: "renumber the variables from {{1}} in the order they appear")
        }
    }

    /// Named and positional parameters never mix, and every parameter fits `parameterFormat`.
    mutating func checkParameterFormat(_ components: [(path: String, placeholders: [TemplatePlaceholder])]) {
        let all = components.flatMap { component in component.placeholders.map { (component.path, $0) } }
        let expectPositional = spec.parameterFormat == .positional
        let format = spec.parameterFormat.rawValue
        let hasPositional = all.contains { $0.1.isPositional }
        let hasNamed = all.contains { !$0.1.isPositional }
        if hasPositional && hasNamed {
            let positional = all.first { $0.1.isPositional }!.1
            let named = all.first { !$0.1.isPositional }!.1
            let misfit = all.first { $0.1.isPositional != expectPositional }!
            error(misfit.0, "no mix of named and positional parameters: found \(positional) and \(named)",
                  hint: expectPositional ? "parameterFormat is positional: use only {{1}}, {{2}}, ..."
                                         : "parameterFormat is named: use only {{first_name}}-style names")
            return
        }
        var reported = Set<String>()
        for (path, placeholder) in all where placeholder.isPositional != expectPositional {
            guard reported.insert("\(path) \(placeholder.name)").inserted else { continue }
            error(path,
                  "\(placeholder) is a \(placeholder.isPositional ? "positional" : "named") parameter but parameterFormat is \(format)",
                  hint: expectPositional ? "write {{1}}, {{2}}, ..., or set parameterFormat: named"
                                         : "write names such as {{first_name}}, or set parameterFormat: positional")
        }
    }

    /// Every placeholder has a non-empty sample keyed by its name or number, and every sample has a placeholder.
    mutating func checkExamples(_ examples: [String: String], placeholders: [TemplatePlaceholder], textIsClean: Bool,
                                path: String, component: String) {
        var keys: [String] = []
        for placeholder in placeholders where !keys.contains(placeholder.name) { keys.append(placeholder.name) }
        for key in keys {
            guard let value = examples[key] else {
                error(path, "no example for {{\(key)}} in the \(component)",
                      hint: "add \(key): <sample value> under examples; Meta requires a sample for every variable")
                continue
            }
            if isBlank(value) {
                error(path, "example for {{\(key)}} in the \(component) is empty", hint: "give a realistic sample value")
            }
        }
        guard textIsClean else { return }
        for key in examples.keys.sorted() where !keys.contains(key) {
            error(path, "example \"\(key)\" matches no placeholder in the \(component)",
                  hint: keys.isEmpty ? "remove it; the \(component) has no variables"
                                     : "remove it; the \(component) uses \(keys.map { "{{\($0)}}" }.joined(separator: ", "))")
        }
    }

    // MARK: - TTL

    mutating func checkTTL() {
        guard let ttl = spec.ttlSeconds else { return }
        let range = TemplateRules.Limits.ttlSeconds(spec.category)
        let unlimited = TemplateRules.Limits.ttlAllowsUnlimited(spec.category)
        if range.contains(ttl) || (unlimited && ttl == -1) { return }
        error("spec.ttlSeconds",
              "ttlSeconds is \(ttl); Meta allows \(range.lowerBound)-\(range.upperBound) for \(category) templates\(unlimited ? " (or -1 for 30 days)" : "")",
              hint: spec.category == .marketing ? "MARKETING TTLs run from 12 hours to 30 days" : nil)
    }

    // MARK: - Text helpers

    static func length(_ text: String) -> Int { text.unicodeScalars.count }

    func isBlank(_ text: String) -> Bool { text.unicodeScalars.allSatisfy { $0.properties.isWhitespace } }

    func isBlank(_ scalars: Substring.UnicodeScalarView) -> Bool { scalars.allSatisfy { $0.properties.isWhitespace } }


}
