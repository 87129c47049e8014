/// How `ResourceWriter` writes strings: plain where YAML reads the text back unchanged and as a
/// string under any resolver, a block scalar for long or multi-line text, double quotes with
/// escapes otherwise. Nothing here guesses: every rule that allows a plain or block form is a
/// rule of YAML 1.1 and 1.2 both (libyaml's reading in particular).
enum YAMLScalar {
    /// How one string value is written.
    enum Form: Equatable {
        /// On the key's line: plain or double-quoted text.
        case inline(String)
        /// A block scalar: the header (`>-`, `|`, `|-`, `|+`) and the content lines, unindented.
        case block(header: String, lines: [String])
    }

    /// The form of `text` as a mapping value whose content would sit at `indent` columns (block
    /// scalars wrap to stay within `width`).
    static func form(_ text: String, indent: Int, width: Int = 80) -> Form {
        if text.unicodeScalars.contains("\n") {
            if let literal = literal(text) { return literal }
            return .inline(doubleQuoted(text))
        }
        if isPlainSafe(text, flow: false) {
            if text.unicodeScalars.count + indent > width, let folded = folded(text, width: max(width - indent, 20)) { return folded }
            return .inline(text)
        }
        if text.unicodeScalars.count + indent > width, let folded = folded(text, width: max(width - indent, 20)) { return folded }
        return .inline(doubleQuoted(text))
    }

    /// One line: plain when safe, else double-quoted. `flow` for `{key: value}` mappings.
    static func inline(_ text: String, flow: Bool = false) -> String {
        isPlainSafe(text, flow: flow) ? text : doubleQuoted(text)
    }

    // MARK: - Plain

    /// Values YAML 1.1 resolvers read as booleans or null (or merge/value keys).
    static let reservedWords: Set<String> = ["y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", "<<", "="]

    /// Characters that may not start a plain scalar.
    static let indicators: Set<Unicode.Scalar> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`"]

    static func isPlainSafe(_ text: String, flow: Bool) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return false }
        guard !isWhite(first), !isWhite(last), !indicators.contains(first), last != ":" else { return false }
        guard scalars.allSatisfy({ isPrintable($0) && $0 != "\t" }) else { return false }
        if reservedWords.contains(text.lowercased()) || looksNumeric(scalars) { return false }
        for (index, scalar) in scalars.enumerated() {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalar == ":" && (next == " " || flow) { return false }
            if scalar == "#" && index > 0 && scalars[index - 1] == " " { return false }
            if flow && [",", "[", "]", "{", "}"].contains(scalar) { return false }
        }
        return true
    }

    /// Could be read as a number, date or time by some YAML resolver: starts with a digit (or
    /// `+`/`-`/`.` before a digit or dot) and holds only characters of YAML 1.1/1.2 numbers,
    /// hex/octal/binary literals, sexagesimals and timestamps; or is `.inf`/`.nan`. Errs on the
    /// side of quoting (`"25OFF"`); `25%` and `7:30 pm` stay plain.
    static func looksNumeric(_ scalars: [Unicode.Scalar]) -> Bool {
        guard let first = scalars.first else { return false }
        let lowered = String(String.UnicodeScalarView(scalars)).lowercased()
        if [".inf", ".nan", "+.inf", "-.inf"].contains(lowered) { return true }
        let startsLikeNumber = isDigit(first)
            || (["+", "-", "."].contains(first) && scalars.count > 1 && (isDigit(scalars[1]) || scalars[1] == "."))
        return startsLikeNumber && scalars.allSatisfy(numericCharacters.contains)
    }

    static let numericCharacters = Set("0123456789abcdefABCDEFoOxXtTzZ_+-.: ".unicodeScalars)

    // MARK: - Double-quoted

    static func doubleQuoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            case "\0": output += "\\0"
            case "\u{85}": output += "\\N"
            case "\u{A0}": output += "\\_"
            case "\u{2028}": output += "\\L"
            case "\u{2029}": output += "\\P"
            default:
                if isPrintable(scalar) {
                    output.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFF {
                    output += "\\x" + hex(scalar.value, digits: 2)
                } else if scalar.value <= 0xFFFF {
                    output += "\\u" + hex(scalar.value, digits: 4)
                } else {
                    output += "\\U" + hex(scalar.value, digits: 8)
                }
            }
        }
        return output + "\""
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    // MARK: - Block scalars

    /// `|`, `|-` or `|+` for multi-line text whose lines need no escapes: no tabs, no carriage
    /// returns or other breaks (`\u{85}`, `\u{2028}`, `\u{2029}` are not printable), no trailing spaces (editors strip them), a first line that
    /// starts with a visible character.
    static func literal(_ text: String) -> Form? {
        guard text.unicodeScalars.allSatisfy({ ($0 == "\n" || isPrintable($0)) && $0 != "\t" })
        else { return nil }
        var trailing = 0
        var body = Substring.UnicodeScalarView(text.unicodeScalars)
        while body.last == "\n" {
            body = body.dropLast()
            trailing += 1
        }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
        guard let first = lines.first?.unicodeScalars.first, !isWhite(first) else { return nil }
        guard lines.allSatisfy({ $0.unicodeScalars.last.map { !isWhite($0) } ?? true }) else { return nil }
        let header = trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+"
        return .block(header: header, lines: lines + Array(repeating: "", count: max(0, trailing - 1)))
    }

    /// `>-` for one long line, broken only at single spaces between visible characters (each
    /// such break folds back into exactly that space).
    static func folded(_ text: String, width: Int) -> Form? {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last, !isWhite(first), !isWhite(last),
              scalars.allSatisfy({ isPrintable($0) && $0 != "\t" }) else { return nil }
        // Words: the text split at single spaces that have a visible character on both sides.
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if scalar == " ", index > 0, index + 1 < scalars.count, scalars[index - 1] != " ", scalars[index + 1] != " " {
                words.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        words.append(String(current))
        guard words.count > 1 else { return nil }
        var lines: [String] = []
        var line = ""
        for word in words {
            if line.isEmpty {
                line = word
            } else if line.unicodeScalars.count + 1 + word.unicodeScalars.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = word
            }
        }
        lines.append(line)
        guard lines.count > 1 else { return nil }
        return .block(header: ">-", lines: lines)
    }

    // MARK: - Characters

    static func isWhite(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    /// Characters YAML allows unescaped in a one-line scalar: libyaml's printable set (its reader's
    /// without the line breaks, and without the byte order mark).
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x20...0x7E, 0xA0...0x2027, 0x202A...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
