import BizOneModel
import MetaGraph

/// Send-time checks of a template message against the approved template (reference §9.2):
/// parameter counts per component (132000), named vs positional (132012), URL button parameters,
/// media headers, and the rendered body length (132005).
struct TemplateSendCheck {
    let template: TemplateRecord
    let components: [SendComponent]

    func run() throws {
        try checkHeader()
        try checkBody()
        try checkButtons()
    }

    private func sent(_ type: String) -> [SendComponent] {
        components.filter { $0.type.lowercased() == type }
    }

    private func checkHeader() throws {
        let given = sent("header").flatMap(\.parameters)
        guard let header = template.component("HEADER") else {
            if !given.isEmpty { throw EmulatorGraphError.parameterCount("header", got: given.count, expected: 0) }
            return
        }
        switch header.format ?? "TEXT" {
        case "TEXT":
            let keys = ComponentRules.uniqueKeys(TemplatePlaceholders.scan(header.text ?? "").placeholders)
            try checkParameters(given, keys: keys, component: "header")
        case "IMAGE", "VIDEO", "DOCUMENT", "GIF", "LOCATION":
            let format = header.format!.lowercased()
            guard given.count == 1 else { throw EmulatorGraphError.parameterCount("header", got: given.count, expected: 1) }
            let type = given[0].type.lowercased()
            let expected = format == "gif" ? "video" : format
            guard type == expected else {
                throw EmulatorGraphError.parameterFormat("header: the template has a \(format.uppercased()) header but the parameter is of type \(type)")
            }
        default:
            break
        }
    }

    private func checkBody() throws {
        let given = sent("body").flatMap(\.parameters)
        let text = template.bodyText
        let placeholders = TemplatePlaceholders.scan(text).placeholders
        try checkParameters(given, keys: ComponentRules.uniqueKeys(placeholders), component: "body")
        // Render to check the length limit.
        var values: [String: String] = [:]
        for (index, parameter) in given.enumerated() {
            values[parameter.parameterName ?? String(index + 1)] = parameter.text ?? parameter.currency?.fallbackValue
                ?? parameter.dateTime?.fallbackValue ?? ""
        }
        var rendered = String.UnicodeScalarView()
        var cursor = text.unicodeScalars.startIndex
        for placeholder in placeholders {
            rendered.append(contentsOf: text.unicodeScalars[cursor..<placeholder.range.lowerBound])
            rendered.append(contentsOf: (values[placeholder.name] ?? "").unicodeScalars)
            cursor = placeholder.range.upperBound
        }
        rendered.append(contentsOf: text.unicodeScalars[cursor...])
        if rendered.count > 1024 {
            throw EmulatorGraphError.textTooLong("body: the message text with its parameters has \(rendered.count) characters; the limit is 1024")
        }
    }

    private func checkParameters(_ given: [SendParameter], keys: [String], component: String) throws {
        if given.isEmpty, keys.isEmpty { return }
        let named = given.filter { $0.parameterName != nil }
        if template.isNamed {
            if named.count != given.count {
                throw EmulatorGraphError.parameterFormat("\(component): the template uses named parameters, so every parameter needs parameter_name")
            }
            let names = named.compactMap(\.parameterName)
            if names.count != keys.count {
                throw EmulatorGraphError.parameterCount(component, got: names.count, expected: keys.count)
            }
            let missing = keys.filter { !names.contains($0) }
            let unexpected = names.filter { !keys.contains($0) }
            if !missing.isEmpty || !unexpected.isEmpty {
                throw EmulatorGraphError.parameterNames(component, missing: missing, unexpected: unexpected)
            }
        } else {
            if !named.isEmpty {
                throw EmulatorGraphError.parameterFormat("\(component): the template uses positional parameters, so parameters must not have parameter_name")
            }
            if given.count != keys.count {
                throw EmulatorGraphError.parameterCount(component, got: given.count, expected: keys.count)
            }
        }
    }

    private func checkButtons() throws {
        let buttons = template.component("BUTTONS")?.buttons ?? []
        let sentButtons = sent("button")
        for component in sentButtons {
            guard let index = component.index?.intValue else {
                throw EmulatorGraphError.required("template['components'][button]['index']")
            }
            guard buttons.indices.contains(index) else {
                throw EmulatorGraphError.invalidValue("button: the template has no button at index \(index)")
            }
        }
        for (index, button) in buttons.enumerated() where button.type == "URL" {
            let variables = TemplatePlaceholders.scan(button.url ?? "").placeholders.count
            let given = sentButtons.filter { $0.index?.intValue == index }.flatMap(\.parameters)
            if given.count != variables {
                throw EmulatorGraphError.parameterCount("button", got: given.count, expected: variables)
            }
        }
    }
}
