/// Checks UTF-8 one byte at a time as a file streams by (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF), so the first bad byte can be named by line and column
/// without holding the file.
struct UTF8Validator {
    typealias Bad = (line: Int, column: Int, byte: UInt8)

    /// Continuation bytes the current character still needs, and the range the next one must
    /// fall in (narrower after E0, ED, F0 and F4).
    private var pending = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    /// Where the character being read started, and its first byte.
    private var start: (line: Int, column: Int) = (1, 1)
    private var lead: UInt8 = 0

    /// nil when `byte` may come here; else where the bad character starts and its first byte.
    mutating func accept(_ byte: UInt8, at position: (line: Int, column: Int)) -> Bad? {
        if pending == 0 && byte < 0x80 { return nil }
        if pending > 0 {
            if byte >= lower && byte <= upper {
                pending -= 1
                lower = 0x80
                upper = 0xBF
                return nil
            }
            let bad = (start.line, start.column, lead)
            pending = 0
            lower = 0x80
            upper = 0xBF
            return bad
        }
        start = position
        lead = byte
        switch byte {
        case 0xC2...0xDF: pending = 1
        case 0xE0: pending = 2; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: pending = 2
        case 0xED: pending = 2; upper = 0x9F
        case 0xF0: pending = 3; lower = 0x90
        case 0xF1...0xF3: pending = 3
        case 0xF4: pending = 3; upper = 0x8F
        default: return (position.line, position.column, byte)  // a stray continuation byte, C0, C1, F5-FF
        }
        return nil
    }

    /// At the end of the file: a character cut short, if any.
    var unfinished: Bad? { pending > 0 ? (start.line, start.column, lead) : nil }
}
