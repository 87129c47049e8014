/// Phone numbers normalised to E.164, because Meta prefixes the *business's* country code to
/// numbers sent without '+', which can reach the wrong person (reference §9.4).
public enum PhoneNumber {
    /// `+6281234567890` from `+62 812-3456-7890`, `0812 3456 7890` (with default code 62),
    /// `0062812...` or `62812...`; nil when no valid E.164 number results, including a number
    /// too short or too long for its country (`12345` with code 62 is not `+6212345`).
    public static func normalize(_ raw: String, defaultCountryCode: String?) -> String? {
        guard let number = international(raw, defaultCountryCode: defaultCountryCode) else { return nil }
        let candidate = "+" + number
        return isE164(candidate) ? candidate : nil
    }

    /// Why `normalize` refused `raw` when only the length is wrong for its country, e.g.
    /// "+6212345 has 5 digits after country code 62, which needs 7 to 12"; nil otherwise.
    public static func lengthProblem(_ raw: String, defaultCountryCode: String?) -> String? {
        guard let digits = international(raw, defaultCountryCode: defaultCountryCode),
              hasE164Shape(Array(("+" + digits).utf8)), !NumberingPlan.allows(international: digits) else { return nil }
        guard let plan = NumberingPlan.plan(forInternational: digits) else {
            let total = NumberingPlan.fallbackTotalDigits
            return "+\(digits) has \(digits.count) digits; an international number has \(total.lowerBound) to \(total.upperBound)"
        }
        let national = digits.count - plan.countryCode.count
        let allowed = plan.minimumLength == plan.maximumLength ? "\(plan.minimumLength)" : "\(plan.minimumLength) to \(plan.maximumLength)"
        return "+\(digits) has \(national) digits after country code \(plan.countryCode), which needs \(allowed)"
    }

    /// `^\\+[1-9][0-9]{6,14}$` with a length its country's numbering plan allows (see
    /// `NumberingPlan`), checked by hand: it runs once per audience row.
    public static func isE164(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return hasE164Shape(bytes) && NumberingPlan.allows(international: text.dropFirst())
    }

    private static func hasE164Shape(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 8, bytes.count <= 16, bytes[0] == UInt8(ascii: "+"), bytes[1] != UInt8(ascii: "0") else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }


    /// The international digits (no '+') that `raw` stands for, before any length check.
    private static func international(_ raw: String, defaultCountryCode: String?) -> String? {
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
        return number
    }
}
