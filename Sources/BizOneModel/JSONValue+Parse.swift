import Foundation

extension JSONValue {
    public struct ParseError: Error, CustomStringConvertible, Sendable, Equatable {
        public var offset: Int
        public var message: String
        public var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    /// Deeper nesting is refused. Meta's payloads are a handful of levels deep; 512 is the
    /// limit Foundation's `JSONSerialization` applies, so both accept exactly the same depths.
    public static let maximumDepth = 512

    /// Parses JSON bytes (RFC 8259) straight into a tree.
    ///
    /// Hand-written because decoding `JSONValue` through `JSONDecoder` tries each type in turn
    /// and pays for a thrown error at nearly every value; state reads, fingerprints, webhook
    /// envelopes and the emulator's request parsing all sit on this path.
    ///
    /// The bytes come from outside (webhooks, Graph answers, the state file), so the contract is:
    /// - it never traps and never recurses: containers live on an explicit stack, bounded by
    ///   `maximumDepth`;
    /// - it accepts and refuses what `JSONSerialization` (with fragments allowed) accepts and
    ///   refuses, and yields the same values; `make fuzz` checks this differentially. Like
    ///   Foundation it skips a leading UTF-8 byte-order mark and allows one trailing comma in
    ///   an array or object; unlike Foundation it does not guess UTF-16/32 encodings (webhooks
    ///   and Graph answers are UTF-8) and keeps a U+FEFF inside a string as text;
    /// - strings must be valid UTF-8 without raw control characters; `\u` escapes must pair
    ///   surrogates correctly; numbers follow the RFC grammar and must be finite.
    ///
    /// Integers that fit `Int` are `.int`; other numbers are `.double`, except that whole
    /// numbers written as `1e3` or `3.0` read back as `.int`, as `JSONDecoder` reads them.
    public static func parse(_ data: Data) throws -> JSONValue {
        try data.withUnsafeBytes { raw in
            var parser = Parser(bytes: raw.bindMemory(to: UInt8.self))
            return try parser.document()
        }
    }

    /// Parses the UTF-8 of `text`.
    public static func parse(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { bytes in
            var parser = Parser(bytes: bytes)
            return try parser.document()
        }
    }

    private struct Parser {
        /// An open container; for an object, also the key whose value is being read. Mutated in
        /// place on the stack (`stack[last].items.append`), so members are never copied.
        struct Frame {
            var isObject: Bool
            var items: [JSONValue] = []
            var members: [String: JSONValue] = [:]
            var key = ""
        }

        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var stack: [Frame] = []

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func error(_ message: String, at offset: Int? = nil) -> ParseError {
            ParseError(offset: offset ?? index, message: message)
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        mutating func document() throws -> JSONValue {
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
            let value = try value()
            skipWhitespace()
            guard index == bytes.count else { throw error("trailing characters") }
            return value
        }

        /// One value, containers included, without recursion: a container's opening pushes a
        /// frame, every finished value is handed to the frame on top, and a closing pops it.
        mutating func value() throws -> JSONValue {
            next: while true {
                skipWhitespace()
                guard let byte = current else { throw error("unexpected end") }
                var finished: JSONValue
                switch byte {
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    guard stack.count < JSONValue.maximumDepth else {
                        throw error("nesting deeper than \(JSONValue.maximumDepth) levels")
                    }
                    let isObject = byte == UInt8(ascii: "{")
                    let closing = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    index += 1
                    skipWhitespace()
                    if current == closing {
                        index += 1
                        finished = isObject ? .object([:]) : .array([])
                    } else {
                        var frame = Frame(isObject: isObject)
                        if isObject { frame.key = try key() }
                        stack.append(frame)
                        continue next
                    }
                case UInt8(ascii: "\""): finished = .string(try string())
                case UInt8(ascii: "t"): try literal("true"); finished = .bool(true)
                case UInt8(ascii: "f"): try literal("false"); finished = .bool(false)
                case UInt8(ascii: "n"): try literal("null"); finished = .null
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): finished = try number()
                default: throw error("unexpected character")
                }
                // Hand the value to its container; close every container that ends here.
                while !stack.isEmpty {
                    let top = stack.count - 1
                    skipWhitespace()
                    if stack[top].isObject {
                        stack[top].members[stack[top].key] = finished
                        if try separator(closing: UInt8(ascii: "}")) == .more {
                            stack[top].key = try key()
                            continue next
                        }
                        finished = .object(stack.removeLast().members)
                    } else {
                        stack[top].items.append(finished)
                        if try separator(closing: UInt8(ascii: "]")) == .more { continue next }
                        finished = .array(stack.removeLast().items)
                    }
                }
                return finished
            }
        }

        enum Separator { case more, closed }

        /// After a member: `,` (then maybe a trailing-comma close) or the closing bracket.
        mutating func separator(closing: UInt8) throws -> Separator {
            guard let byte = current else { throw error("unexpected end") }
            if byte == closing {
                index += 1
                return .closed
            }
            guard byte == UInt8(ascii: ",") else {
                throw error(closing == UInt8(ascii: "]") ? "expected ',' or ']'" : "expected ',' or '}'")
            }
            index += 1
            skipWhitespace()
            if current == closing {
                index += 1
                return .closed
            }
            return .more
        }

        /// `"key" :` with the whitespace around it.
        mutating func key() throws -> String {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a key") }
            let key = try string()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            return key
        }

        mutating func literal(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            guard count <= bytes.count - index else { throw error("unexpected end") }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
                throw error("unexpected literal")
            }
            index += count
        }

        mutating func string() throws -> String {
            index += 1
            let start = index
            var ascii = true
            // Fast path: no escapes; validate UTF-8 only when a non-ASCII byte was seen.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                    index += 1
                    if ascii { return String(decoding: slice, as: UTF8.self) }
                    guard let text = String(validating: slice, as: UTF8.self) else {
                        throw error("invalid UTF-8 in string", at: start)
                    }
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw error("unescaped control character in string") }
                if byte >= 0x80 { ascii = false }
                index += 1
            }
            var output = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    guard let text = String(validating: output, as: UTF8.self) else {
                        throw error("invalid UTF-8 in string", at: start)
                    }
                    return text
                case UInt8(ascii: "\\"):
                    index += 1
                    try escape(into: &output)
                case 0..<0x20:
                    throw error("unescaped control character in string")
                default:
                    output.append(byte)
                    index += 1
                }
            }
            throw error("unterminated string")
        }

        /// The escape after a backslash, appended as UTF-8.
        mutating func escape(into output: inout [UInt8]) throws {
            guard let escape = current else { throw error("unexpected end in escape") }
            index += 1
            switch escape {
            case UInt8(ascii: "\""): output.append(0x22)
            case UInt8(ascii: "\\"): output.append(0x5C)
            case UInt8(ascii: "/"): output.append(0x2F)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                let escapeStart = index - 2
                var value = try hex4()
                switch value {
                case 0xD800...0xDBFF:
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("high surrogate without a low surrogate", at: escapeStart)
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw error("high surrogate without a low surrogate", at: escapeStart)
                    }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                case 0xDC00...0xDFFF:
                    throw error("low surrogate without a high surrogate", at: escapeStart)
                default:
                    break
                }
                guard let scalar = Unicode.Scalar(value) else { throw error("invalid \\u escape", at: escapeStart) }
                output.append(contentsOf: UTF8.encode(scalar).map(Array.init) ?? [])
            default:
                throw error("invalid escape", at: index - 1)
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard 4 <= bytes.count - index else { throw error("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte &- UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte &- UInt8(ascii: "a")) + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte &- UInt8(ascii: "A")) + 10
                default: throw error("bad hex digit")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, finite.
        mutating func number() throws -> JSONValue {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, isDigit(first) else { throw error("expected a digit") }
            index += 1
            if first == UInt8(ascii: "0"), let next = current, isDigit(next) {
                throw error("number with a leading zero")
            }
            skipDigits()
            var isInteger = true
            if current == UInt8(ascii: ".") {
                isInteger = false
                index += 1
                guard let digit = current, isDigit(digit) else { throw error("expected a digit after '.'") }
                skipDigits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                isInteger = false
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let digit = current, isDigit(digit) else { throw error("expected a digit in the exponent") }
                skipDigits()
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if isInteger, let integer = Int(text) { return .int(integer) }
            guard let double = Double(text), double.isFinite else {
                throw error("number \(text.prefix(40)) is out of range", at: start)
            }
            // Whole numbers written as 1e3 or 3.0 read back as integers, as JSONDecoder does.
            if double == double.rounded(), abs(double) < 9e15 { return .int(Int(double)) }
            return .double(double)
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        mutating func skipDigits() {
            while let byte = current, isDigit(byte) { index += 1 }
        }
    }
}
