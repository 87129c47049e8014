/// Phone numbers normalised to E.164, because Meta prefixes the *business's* country code to
/// numbers sent without '+', which can reach the wrong person (reference §9.4).
public enum PhoneNumber {
    /// `+6281234567890` from `+62 812-3456-7890`, `0812 3456 7890` (with default code 62),
    /// `0062812...` or `62812...`; nil when no valid E.164 number results.
    public static func normalize(_ raw: String, defaultCountryCode: String?) -> String? {
        var text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        var international = false
        if text.hasPrefix("+") {
            international = true
            text.removeFirst()
        }
        var digits = ""
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if " -().\u{00A0}".contains(character) {
                continue
            } else {
                return nil
            }
        }
        if !international {
            if digits.hasPrefix("00") {
                digits.removeFirst(2)
            } else if let code = defaultCountryCode, !code.isEmpty {
                if digits.hasPrefix("0") {
                    digits = code + digits.dropFirst()
                } else if !digits.hasPrefix(code) {
                    digits = code + digits
                }
            } else {
                return nil
            }
        }
        let candidate = "+" + digits
        return isE164(candidate) ? candidate : nil
    }

    /// `^\\+[1-9][0-9]{6,14}$`, checked by hand: it runs once per audience row.
    public static func isE164(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 8, bytes.count <= 16, bytes[0] == UInt8(ascii: "+"), bytes[1] != UInt8(ascii: "0") else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
