/// The `to` of a send: a phone number (E.164 with or without '+', spaces, dashes, parentheses;
/// 7-15 digits) or a business-scoped user id such as `US.13491208655302741918` (reference §9.4, §15.2).
struct Recipient: Sendable, Hashable {
    /// `to` as sent.
    var input: String
    /// Digits of the phone number; empty for a BSUID.
    var waID: String
    /// The BSUID when `to` is one.
    var userID: String?

    /// The key of the user's window, pair limit and conversations.
    var key: String { userID ?? waID }

    init?(_ to: String) {
        let trimmed = to.trimmingCharacters(in: .whitespaces)
        input = to
        if trimmed.contains(where: \.isLetter) {
            guard trimmed.count <= 256, trimmed.contains("."),
                  trimmed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }) else { return nil }
            waID = ""
            userID = trimmed
            return
        }
        var digits = ""
        for (offset, character) in trimmed.enumerated() {
            switch character {
            case "0"..."9": digits.append(character)
            case "+" where offset == 0: continue
            case " ", "-", "(", ")", ".": continue
            default: return nil
            }
        }
        guard (7...15).contains(digits.count), digits.first != "0" else { return nil }
        waID = digits
        userID = nil
    }

    /// What recipient rules are matched against.
    var ruleCandidates: [String] { [input, waID, userID ?? ""] }
}
