/// Phone numbers normalised to E.164, because Meta prefixes the *business's* country code to
/// numbers sent without '+', which can reach the wrong person (reference §9.4).
public enum PhoneNumber {
    /// `+6281234567890` from `+62 812-3456-7890`, `0812 3456 7890` (with default code 62),
    /// `0062812...` or `62812...`; nil when no valid E.164 number results.
    public static func normalize(_ raw: String, defaultCountryCode: String?) -> String? {
        // Byte-wise: this runs once per audience row.
        var international = false
        var started = false
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte)
                started = true
            case UInt8(ascii: "+") where !started:
                international = true
                started = true
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "."), UInt8(ascii: "\t"):
                continue
            default:
                return nil  // letters, a second '+', non-ASCII
            }
        }
        guard !digits.isEmpty else { return nil }
        var number = String(decoding: digits, as: UTF8.self)
        if !international {
            if number.hasPrefix("00") {
                number.removeFirst(2)
            } else if let code = defaultCountryCode, !code.isEmpty {
                if number.hasPrefix("0") {
                    number = code + number.dropFirst()
                } else if !number.hasPrefix(code) {
                    number = code + number
                }
            } else {
                return nil
            }
        }
        let candidate = "+" + number
        return isE164(candidate) ? candidate : nil
    }

    /// `^\\+[1-9][0-9]{6,14}$`, checked by hand: it runs once per audience row.
    public static func isE164(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 8, bytes.count <= 16, bytes[0] == UInt8(ascii: "+"), bytes[1] != UInt8(ascii: "0") else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
