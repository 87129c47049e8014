import BizOneModel

/// Writes resources as YAML documents in the style of `pipelines/templates/*.yaml`, for
/// `bizone import`: fields in reading order, values the schema would fill in left out where
/// that keeps the file short, strings quoted only where YAML needs it. Loading what it writes
/// gives back the same spec (and so the same content hash) as the value written.
public enum ResourceWriter {
    /// The file for one template language: `<name>.<language>.yaml`.
    public static func fileName(name: String, language: String) -> String {
        "\(name).\(language).yaml"
    }

    /// One `kind: Template` document ending with a newline. `schemaComment`, when given, is the
    /// first line: a complete `# ...` comment as is, otherwise a schema path or URL written as
    /// `# yaml-language-server: $schema=<schemaComment>`.
    ///
    /// Left out because the loader fills them in: `parameterFormat: positional` of
    /// AUTHENTICATION templates, empty `buttons` and body `examples`, `lifecycle.prune: allow`.
    public static func yaml(for template: TemplateSpec, name: String, labels: [String: String] = [:], schemaComment: String?) -> String {
        var out = Output()
        if let schemaComment, !schemaComment.isEmpty {
            out.line(0, schemaComment.hasPrefix("#") ? schemaComment : "# yaml-language-server: $schema=\(schemaComment)")
        }
        out.line(0, "apiVersion: \(YAMLScalar.inline(BizOne.apiVersion))")
        out.line(0, "kind: \(ResourceKind.template.rawValue)")
        out.line(0, "metadata:")
        out.field(2, "name", name)
        if !labels.isEmpty { out.flowMap(2, "labels", labels) }
        out.line(0, "spec:")
        writeSpec(template, into: &out)
        return out.text
    }

    static func writeSpec(_ spec: TemplateSpec, into out: inout Output) {
        if let integration = spec.integration { out.field(2, "integration", integration) }
        out.field(2, "language", spec.language)
        out.line(2, "category: \(spec.category.rawValue)")
        if !(spec.category == .authentication && spec.parameterFormat == .positional) {
            out.line(2, "parameterFormat: \(spec.parameterFormat.rawValue)")
        }
        if let header = spec.header {
            out.line(2, "header:")
            out.line(4, "format: \(header.format.rawValue)")
            if let text = header.text { out.field(4, "text", text) }
            if let examples = header.examples { out.examples(4, examples, text: header.text ?? "", omitWhenEmpty: false) }
            if let media = header.mediaExample { out.field(4, "mediaExample", media) }
        }
        if let body = spec.body {
            out.line(2, "body:")
            out.field(4, "text", body.text)
            out.examples(4, body.examples, text: body.text, omitWhenEmpty: true)
        }
        if let footer = spec.footer { out.field(2, "footer", footer) }
        if !spec.buttons.isEmpty {
            out.line(2, "buttons:")
            for button in spec.buttons {
                // "- " then the item's fields aligned two columns further in.
                out.line(4, "- type: \(button.type.rawValue)")
                if let text = button.text { out.field(6, "text", text) }
                if let url = button.url { out.field(6, "url", url) }
                if let example = button.example { out.field(6, "example", example) }
                if let phoneNumber = button.phoneNumber { out.field(6, "phoneNumber", phoneNumber) }
            }
        }
        if let authentication = spec.authentication {
            out.line(2, "authentication:")
            out.line(4, "addSecurityRecommendation: \(authentication.addSecurityRecommendation)")
            if let minutes = authentication.codeExpirationMinutes { out.line(4, "codeExpirationMinutes: \(minutes)") }
            out.line(4, "otpType: \(authentication.otpType.rawValue)")
            if let text = authentication.buttonText { out.field(4, "buttonText", text) }
        }
        if let ttl = spec.ttlSeconds { out.line(2, "ttlSeconds: \(ttl)") }
        if spec.lifecycle != Lifecycle() {
            out.line(2, "lifecycle:")
            out.line(4, "prune: \(spec.lifecycle.prune.rawValue)")
        }
    }

    /// Accumulates lines.
    struct Output {
        var text = ""

        mutating func line(_ indent: Int, _ content: String) {
            text += String(repeating: " ", count: indent) + content + "\n"
        }

        /// `key: value` with the value in the form `YAMLScalar` picks for it.
        mutating func field(_ indent: Int, _ key: String, _ value: String) {
            let key = YAMLScalar.inline(key)
            switch YAMLScalar.form(value, indent: indent + 2) {
            case .inline(let scalar):
                line(indent, "\(key): \(scalar)")
            case .block(let header, let lines):
                line(indent, "\(key): \(header)")
                for content in lines {
                    if content.isEmpty { text += "\n" } else { line(indent + 2, content) }
                }
            }
        }

        /// `key: {a: b, c: d}`, keys sorted.
        mutating func flowMap(_ indent: Int, _ key: String, _ values: [String: String]) {
            let pairs = values.sorted { $0.key < $1.key }.map { "\(YAMLScalar.inline($0.key, flow: true)): \(YAMLScalar.inline($0.value, flow: true))" }
            line(indent, "\(YAMLScalar.inline(key)): {\(pairs.joined(separator: ", "))}")
        }

        /// `examples:` keyed in the order the placeholders appear in `text`, then any others sorted.
        mutating func examples(_ indent: Int, _ examples: [String: String], text: String, omitWhenEmpty: Bool) {
            if examples.isEmpty {
                if !omitWhenEmpty { line(indent, "examples: {}") }
                return
            }
            var order: [String] = []
            for placeholder in TemplatePlaceholders.scan(text).placeholders where examples[placeholder.name] != nil && !order.contains(placeholder.name) {
                order.append(placeholder.name)
            }
            order += examples.keys.filter { !order.contains($0) }.sorted()
            line(indent, "examples:")
            for key in order { if let value = examples[key] { field(indent + 2, key, value) } }
        }
    }
}
