/// A well-formed `{{...}}` occurrence in a template text: `{{1}}` (positional) or `{{first_name}}` (named).
public struct TemplatePlaceholder: Sendable, Hashable, CustomStringConvertible {
    /// The text between the braces: `"1"` or `"first_name"`. Also the key of its sample in `examples`.
    public var name: String
    public var isPositional: Bool
    /// Where `{{name}}` sits in the scanned text, braces included.
    public var range: Range<String.Index>

    public init(name: String, isPositional: Bool, range: Range<String.Index>) {
        self.name = name
        self.isPositional = isPositional
        self.range = range
    }

    /// The position of a positional placeholder (`{{3}}` -> 3); nil for named ones.
    public var number: Int? { isPositional ? Int(name) : nil }

    /// `{{name}}`, as written in the text.
    public var description: String { "{{\(name)}}" }
}

/// Finds `{{...}}` placeholders in template texts (reference §6.4, §6.8).
public enum TemplatePlaceholders {
    /// Finds the well-formed placeholders and reports malformed ones: unbalanced braces, `{{ }}`,
    /// spaces or special characters such as `#`, `$`, `%` inside the braces, and names that are
    /// neither `^[0-9]+$` nor `^[a-z_]+$`. Malformed placeholders are not in `placeholders`.
    /// Single braces (`{code}`) are plain text.
    public static func scan(_ text: String) -> (placeholders: [TemplatePlaceholder], problems: [String]) {
        let scalars = text.unicodeScalars
        var placeholders: [TemplatePlaceholder] = []
        var problems: [String] = []

        func isPair(_ index: String.Index, _ brace: Unicode.Scalar) -> Bool {
            guard index < scalars.endIndex, scalars[index] == brace else { return false }
            let next = scalars.index(after: index)
            return next < scalars.endIndex && scalars[next] == brace
        }

        var index = scalars.startIndex
        while index < scalars.endIndex {
            if isPair(index, "{") {
                let open = index
                let contentStart = scalars.index(index, offsetBy: 2)
                var cursor = contentStart
                var close: String.Index?
                while cursor < scalars.endIndex {
                    if isPair(cursor, "}") { close = cursor; break }
                    if isPair(cursor, "{") { break }
                    cursor = scalars.index(after: cursor)
                }
                guard let close else {
                    problems.append("unclosed \"{{\" in \"\(snippet(scalars[open..<cursor]))\"; every \"{{\" needs a matching \"}}\"")
                    index = cursor // the end, or the next "{{"
                    continue
                }
                let content = String(scalars[contentStart..<close])
                var end = scalars.index(close, offsetBy: 2)
                if let problem = problem(content) {
                    problems.append(problem)
                } else {
                    let positional = content.unicodeScalars.allSatisfy(isDigit)
                    placeholders.append(TemplatePlaceholder(name: content, isPositional: positional, range: open..<end))
                }
                if end < scalars.endIndex, scalars[end] == "}" {
                    problems.append("extra \"}\" after \"{{\(content)}}\"; placeholders use exactly two braces")
                    while end < scalars.endIndex, scalars[end] == "}" { end = scalars.index(after: end) }
                }
                index = end
            } else if isPair(index, "}") {
                let start = scalars.index(index, offsetBy: -12, limitedBy: scalars.startIndex) ?? scalars.startIndex
                let after = scalars.index(index, offsetBy: 2)
                problems.append("\"}}\" without a matching \"{{\" in \"\(String(scalars[start..<after]))\"")
                index = after
            } else {
                index = scalars.index(after: index)
            }
        }
        return (placeholders, problems)
    }

    /// Why the text between `{{` and `}}` is not a valid parameter name, or nil when it is one.
    static func problem(_ content: String) -> String? {
        let written = "{{\(content)}}"
        let scalars = content.unicodeScalars
        if scalars.allSatisfy({ $0.properties.isWhitespace }) {
            return "empty placeholder \"\(written)\"; write {{1}} or {{first_name}}"
        }
        if scalars.contains(where: { $0.properties.isWhitespace }) {
            return "placeholder \"\(written)\" has spaces inside the braces"
        }
        if scalars.allSatisfy(isDigit) {
            if scalars.count > 1, scalars.first == "0" {
                return "placeholder \"\(written)\" has a leading zero"
            }
            return nil
        }
        if scalars.allSatisfy(isNameCharacter) { return nil }
        if let special = scalars.first(where: { !(isDigit($0) || isNameCharacter($0) || ("A"..."Z").contains($0)) }) {
            return "placeholder \"\(written)\" contains the special character '\(special)'"
        }
        return "placeholder \"\(written)\" is neither a number nor a name of lower-case letters and '_'"
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || scalar == "_" }

    private static func snippet(_ scalars: Substring.UnicodeScalarView) -> String {
        var text = ""
        for scalar in scalars.prefix(16) {
            if scalar == "\n" || scalar == "\r" { break }
            text.unicodeScalars.append(scalar)
        }
        return text
    }
}
