import Foundation

/// The two JSON shapes contacts keep (attributes: an object of strings; tags: an array of
/// strings), written and read by hand: an audience import or a recipient scan touches them once
/// per row, for up to millions of rows, where Foundation's coders dominate the cost.
///
/// Output is what `JSONEncoder` with sorted keys and unescaped slashes writes, so rows written
/// either way compare equal in SQL.
enum FlatJSON {
    /// `{"a":"1","b":"2"}`, keys sorted.
    static func object(_ values: [String: String]) -> String {
        guard !values.isEmpty else { return "{}" }
        var text = "{"
        for (offset, key) in values.keys.sorted().enumerated() {
            if offset > 0 { text += "," }
            append(key, to: &text)
            text += ":"
            append(values[key]!, to: &text)
        }
        return text + "}"
    }

    /// `["a","b"]`, sorted, without duplicates.
    static func sortedSet(_ values: [String]) -> String {
        guard !values.isEmpty else { return "[]" }
        var text = "["
        for (offset, value) in Set(values).sorted().enumerated() {
            if offset > 0 { text += "," }
            append(value, to: &text)
        }
        return text + "]"
    }

    private static func append(_ string: String, to text: inout String) {
        text += "\""
        var plain = true
        for byte in string.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            plain = false
            break
        }
        if plain {
            text += string
        } else {
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }

    /// An object of strings; nil when the text is anything else.
    static func parseObject(_ text: String) -> [String: String]? {
        var parser = Parser(bytes: Array(text.utf8))
        return parser.object()
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func object() -> [String: String]? {
            guard expect(UInt8(ascii: "{")) else { return nil }
            var result: [String: String] = [:]
            if expect(UInt8(ascii: "}")) { return end(result) }
            repeat {
                guard let key = string(), expect(UInt8(ascii: ":")), let value = string() else { return nil }
                result[key] = value
            } while expect(UInt8(ascii: ","))
            guard expect(UInt8(ascii: "}")) else { return nil }
            return end(result)
        }

        mutating func end(_ result: [String: String]) -> [String: String]? {
            skipSpace()
            return index == bytes.count ? result : nil
        }

        mutating func string() -> String? {
            guard expect(UInt8(ascii: "\"")) else { return nil }
            let start = index
            // Fast path: no escapes.
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") { index += 1 }
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "\"") {
                defer { index += 1 }
                return String(decoding: bytes[start..<index], as: UTF8.self)
            }
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: String(decoding: bytes[start..<index], as: UTF8.self).unicodeScalars)
            var pending: [UInt8] = []
            func flush() {
                if !pending.isEmpty {
                    scalars.append(contentsOf: String(decoding: pending, as: UTF8.self).unicodeScalars)
                    pending.removeAll()
                }
            }
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        guard var code = hex4() else { return nil }
                        if (0xD800..<0xDC00).contains(code) {
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return nil }
                            index += 2
                            guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { return nil }
                        scalars.append(scalar)
                    default: return nil
                    }
                default:
                    pending.append(byte)
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[index..<(index + 4)] {
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value * 16 + digit
            }
            index += 4
            return value
        }
    }
}
