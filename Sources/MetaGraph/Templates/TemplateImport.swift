import BizOneModel

/// Why a template at Meta cannot be imported into BizOne's friendly shape. Every case names the
/// template (`name@language`), so `bizone import templates` can skip it with a warning.
public enum TemplateImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Meta's answer lacks a field the import needs (list templates with
    /// `fields=name,language,category,parameter_format,components`).
    case missingField(template: String, field: String)
    /// A component, format or button that BizOne's template shape has no place for (FLOW,
    /// catalog and multi-product buttons, carousels, GIF headers, ...).
    case unsupported(template: String, detail: String)
    /// The friendly shape would not give back Meta's components: importing it would plan an
    /// edit on the next apply instead of nothing.
    case notRoundTrippable(template: String, detail: String)

    /// `name@language` of the template concerned.
    public var template: String {
        switch self {
        case .missingField(let template, _), .unsupported(let template, _), .notRoundTrippable(let template, _):
            return template
        }
    }

    public var description: String {
        switch self {
        case .missingField(let template, let field):
            return "template \(template): Meta's answer has no \(field)"
        case .unsupported(let template, let detail):
            return "template \(template): \(detail), which BizOne templates cannot represent"
        case .notRoundTrippable(let template, let detail):
            return "template \(template): \(detail); the imported file would not match Meta's template"
        }
    }
}

/// Meta's templates back into BizOne's friendly shape: the reverse of
/// `TemplateMapping.components(for:)`, for `bizone import templates`.
///
/// The contract: for every template `spec(from:)` accepts,
/// `TemplateMapping.normalized(TemplateMapping.components(for: spec))` equals
/// `TemplateMapping.normalized(template.components)`, so a file written from the spec plans
/// nothing against Meta. The check runs on every import; a template for which it fails throws
/// `notRoundTrippable` rather than being imported subtly different.
///
/// Not carried over, because BizOne's shape has no field for them or Meta does not return them:
/// `message_send_ttl_seconds` (`ttlSeconds`), `sub_category`, `previous_category`, status and
/// quality, and a one-tap OTP button's `package_name` / `signature_hash` / `autofill_text`
/// (not decoded by the wire types either). Media header samples are Meta's answer, which is a
/// CDN URL rather than the upload handle the template was created with.
public enum TemplateImport {
    /// One template Meta holds, in the friendly shape.
    public struct Imported: Sendable, Hashable {
        public var name: String
        /// Meta's template id.
        public var templateID: String
        public var spec: TemplateSpec

        public init(name: String, templateID: String, spec: TemplateSpec) {
            self.name = name
            self.templateID = templateID
            self.spec = spec
        }
    }

    /// Every template of `templates` that can be imported, in the given order, and an error for
    /// each one that cannot (to be reported as skipped).
    public static func specs(from templates: [MessageTemplate]) -> (imported: [Imported], skipped: [TemplateImportError]) {
        var imported: [Imported] = []
        var skipped: [TemplateImportError] = []
        for template in templates {
            do {
                let spec = try spec(from: template)
                imported.append(Imported(name: template.name ?? "", templateID: template.id, spec: spec))
            } catch let error as TemplateImportError {
                skipped.append(error)
            } catch {
                skipped.append(.unsupported(template: label(template), detail: "\(error)"))
            }
        }
        return (imported, skipped)
    }

    /// The friendly spec of one template as list/get return it. Defaults are filled the way the
    /// loader fills them, so the spec equals what loading a file written from it gives.
    public static func spec(from template: MessageTemplate) throws -> TemplateSpec {
        let label = label(template)
        guard template.name != nil else { throw TemplateImportError.missingField(template: label, field: "name") }
        guard let rawLanguage = template.language else { throw TemplateImportError.missingField(template: label, field: "language") }
        guard let rawCategory = template.category else { throw TemplateImportError.missingField(template: label, field: "category") }
        guard let components = template.components else { throw TemplateImportError.missingField(template: label, field: "components") }
        guard let category = TemplateSpec.Category(rawValue: rawCategory.uppercased()) else {
            throw TemplateImportError.unsupported(template: label, detail: "category \(rawCategory)")
        }
        let format = try parameterFormat(template.parameterFormat, label: label)

        var object: [String: JSONValue] = [
            "language": .string(rawLanguage.replacingOccurrences(of: "-", with: "_")),
            "category": .string(category.rawValue),
            "parameterFormat": .string(format.rawValue),
        ]
        let reader = ComponentReader(label: label)
        if category == .authentication {
            object["authentication"] = try reader.authentication(components)
        } else {
            try reader.regular(components, into: &object)
        }

        let spec: TemplateSpec
        do {
            spec = try fillDefaults(.object(object), schema: .object(TemplateSpec.schema)).decode(TemplateSpec.self)
        } catch {
            throw TemplateImportError.notRoundTrippable(template: label, detail: "its friendly form does not decode (\(error))")
        }
        if let difference = roundTripDifference(spec, components) {
            throw TemplateImportError.notRoundTrippable(template: label, detail: difference)
        }
        return spec
    }

    // MARK: - Parameter format

    /// `NAMED`/`named` or `POSITIONAL`/`positional`; absent means positional, as Meta and the
    /// planner (`TemplateFingerprint.remote`) read it. A template with named samples but no
    /// `parameter_format` then fails the round-trip check instead of importing as something the
    /// planner would not match.
    static func parameterFormat(_ raw: String?, label: String) throws -> TemplateSpec.ParameterFormat {
        guard let raw else { return .positional }
        guard let format = TemplateSpec.ParameterFormat(rawValue: raw.lowercased()) else {
            throw TemplateImportError.unsupported(template: label, detail: "parameter_format \(raw)")
        }
        return format
    }

    // MARK: - Round trip

    /// Where `spec` maps back to something other than `components`, after normalisation; nil
    /// when they agree.
    static func roundTripDifference(_ spec: TemplateSpec, _ components: [TemplateComponent]) -> String? {
        let expected = TemplateMapping.normalized(components)
        let produced = TemplateMapping.normalized(TemplateMapping.components(for: spec))
        guard expected != produced else { return nil }
        for index in 0..<max(expected.count, produced.count) {
            let meta = index < expected.count ? expected[index] : nil
            let mine = index < produced.count ? produced[index] : nil
            guard meta != mine else { continue }
            switch (meta, mine) {
            case (let meta?, nil): return "its \(meta.type) component has no place in the friendly form"
            case (nil, let mine?): return "the friendly form adds a \(mine.type) component Meta does not have"
            case (let meta?, _): return "its \(meta.type) component would come back different (\(differingFields(meta, mine!)))"
            default: break
            }
        }
        return "its components would come back different"
    }

    static func differingFields(_ left: TemplateComponent, _ right: TemplateComponent) -> String {
        var fields: [String] = []
        if left.type != right.type { fields.append("type") }
        if left.format != right.format { fields.append("format") }
        if left.text != right.text { fields.append("text") }
        if left.example != right.example { fields.append("example") }
        if left.buttons != right.buttons { fields.append("buttons") }
        if left.addSecurityRecommendation != right.addSecurityRecommendation { fields.append("add_security_recommendation") }
        if left.codeExpirationMinutes != right.codeExpirationMinutes { fields.append("code_expiration_minutes") }
        return fields.joined(separator: ", ")
    }

    // MARK: - Helpers

    static func label(_ template: MessageTemplate) -> String {
        "\(template.name ?? "id \(template.id)")@\(template.language ?? "?")"
    }

    /// The loader's default filling (BizOneConfig's `SchemaDefaults`): declared defaults of
    /// absent object properties, recursively.
    static func fillDefaults(_ value: JSONValue, schema: Schema) -> JSONValue {
        guard case .object(let object) = schema, case .object(var members) = value else { return value }
        for property in object.properties {
            if let present = members[property.name] {
                members[property.name] = fillDefaults(present, schema: property.schema)
            } else if let defaultValue = property.defaultValue {
                members[property.name] = fillDefaults(defaultValue, schema: property.schema)
            }
        }
        return .object(members)
    }
}

/// Reads Meta's components into the friendly spec's JSON members.
private struct ComponentReader {
    let label: String

    func unsupported(_ detail: String) -> TemplateImportError {
        .unsupported(template: label, detail: detail)
    }

    /// Components by upper-cased type; at most one of each of the four BizOne knows.
    func byType(_ components: [TemplateComponent]) throws -> [String: TemplateComponent] {
        var result: [String: TemplateComponent] = [:]
        for component in components {
            let type = component.type.uppercased()
            guard ["HEADER", "BODY", "FOOTER", "BUTTONS"].contains(type) else {
                throw unsupported("a \(type) component")
            }
            guard result[type] == nil else { throw unsupported("more than one \(type) component") }
            result[type] = component
        }
        return result
    }

    // MARK: MARKETING and UTILITY

    func regular(_ components: [TemplateComponent], into object: inout [String: JSONValue]) throws {
        let components = try byType(components)
        if let header = components["HEADER"] { object["header"] = try self.header(header) }
        if let body = components["BODY"] {
            if body.addSecurityRecommendation == true { throw unsupported("a security recommendation outside an AUTHENTICATION template") }
            guard let text = body.text else { throw TemplateImportError.missingField(template: label, field: "body text") }
            object["body"] = .object(["text": .string(text), "examples": .object(examples(
                text: text, positional: body.example?.bodyText?.first, named: body.example?.bodyTextNamedParams).mapValues(JSONValue.string))])
        }
        if let footer = components["FOOTER"] {
            if footer.codeExpirationMinutes != nil { throw unsupported("a code-expiry footer outside an AUTHENTICATION template") }
            guard let text = footer.text else { throw TemplateImportError.missingField(template: label, field: "footer text") }
            object["footer"] = .string(text)
        }
        if let buttons = components["BUTTONS"]?.buttons, !buttons.isEmpty {
            object["buttons"] = .array(try buttons.map(button))
        }
    }

    func header(_ component: TemplateComponent) throws -> JSONValue {
        let rawFormat = (component.format ?? "TEXT").uppercased()
        guard let format = TemplateSpec.Header.Format(rawValue: rawFormat) else { throw unsupported("a \(rawFormat) header") }
        var header: [String: JSONValue] = ["format": .string(format.rawValue)]
        switch format {
        case .text:
            guard let text = component.text else { throw TemplateImportError.missingField(template: label, field: "header text") }
            header["text"] = .string(text)
            if !TemplateMapping.placeholderNames(text).isEmpty {
                let values = examples(text: text, positional: component.example?.headerText,
                                      named: component.example?.headerTextNamedParams)
                header["examples"] = .object(values.mapValues(JSONValue.string))
            }
        case .image, .video, .document:
            if let handle = component.example?.headerHandle?.first { header["mediaExample"] = .string(handle) }
        case .location:
            break
        }
        return .object(header)
    }

    /// Samples keyed by placeholder: named ones by `param_name`, positional ones by the
    /// placeholder at the same position (in order of first appearance, as the mapping writes them).
    func examples(text: String, positional: [String]?, named: [NamedParameterExample]?) -> [String: String] {
        var result: [String: String] = [:]
        if let named {
            for parameter in named { result[parameter.paramName] = parameter.example }
        } else if let positional {
            for (name, value) in zip(TemplateMapping.placeholderNames(text), positional) { result[name] = value }
        }
        return result
    }

    func button(_ button: TemplateButton) throws -> JSONValue {
        let type = button.type.uppercased()
        guard let kind = TemplateSpec.Button.Kind(rawValue: type) else { throw unsupported("a \(type) button") }
        var result: [String: JSONValue] = ["type": .string(kind.rawValue)]
        switch kind {
        case .quickReply:
            if let text = button.text { result["text"] = .string(text) }
        case .url:
            if let text = button.text { result["text"] = .string(text) }
            if let url = button.url { result["url"] = .string(url) }
            if let url = button.url, !TemplateMapping.placeholderNames(url).isEmpty, let example = button.example?.values.first {
                result["example"] = .string(example)
            }
        case .phoneNumber:
            if let text = button.text { result["text"] = .string(text) }
            if let number = button.phoneNumber { result["phoneNumber"] = .string(Self.e164(number)) }
        case .copyCode:
            if let example = button.example?.values.first { result["example"] = .string(example) }
        }
        return .object(result)
    }

    /// BizOne's schema wants E.164 with '+'; Meta stores digits (and answers either way).
    static func e164(_ number: String) -> String {
        "+" + String(number.filter(\.isNumber))
    }

    // MARK: AUTHENTICATION

    /// Meta's preset structure: BODY (security recommendation), optional FOOTER (code expiry),
    /// BUTTONS with one OTP button.
    func authentication(_ components: [TemplateComponent]) throws -> JSONValue {
        let components = try byType(components)
        if let header = components["HEADER"] {
            throw unsupported("a \((header.format ?? "TEXT").uppercased()) header on an AUTHENTICATION template")
        }
        var result: [String: JSONValue] = [
            "addSecurityRecommendation": .bool(components["BODY"]?.addSecurityRecommendation ?? false),
        ]
        if let footer = components["FOOTER"] {
            guard let minutes = footer.codeExpirationMinutes else {
                throw unsupported("a footer without code_expiration_minutes on an AUTHENTICATION template")
            }
            result["codeExpirationMinutes"] = .int(minutes)
        }
        let buttons = components["BUTTONS"]?.buttons ?? []
        guard buttons.count == 1, let otp = buttons.first, otp.type.uppercased() == "OTP" else {
            let types = buttons.map { $0.type.uppercased() }.joined(separator: ", ")
            throw unsupported("AUTHENTICATION buttons [\(types)] instead of one OTP button")
        }
        let rawType = (otp.otpType ?? TemplateSpec.Authentication.OTPType.copyCode.rawValue).uppercased()
        guard let otpType = TemplateSpec.Authentication.OTPType(rawValue: rawType) else { throw unsupported("an OTP button of type \(rawType)") }
        result["otpType"] = .string(otpType.rawValue)
        if let text = otp.text { result["buttonText"] = .string(text) }
        return .object(result)
    }
}
