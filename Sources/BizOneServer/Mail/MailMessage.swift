import Foundation

/// One plain-text e-mail, rendered as RFC 5322 text for SMTP.
///
/// Header values come from declared names and e-mail addresses: control characters are
/// dropped (no header can be injected through a display name), and text that is not plain
/// ASCII goes as RFC 2047 encoded words. The body is sent 7bit when it is ASCII, else base64.
struct MailMessage: Sendable, Hashable {
    struct Address: Sendable, Hashable {
        var email: String
        var name: String?
    }

    var from: Address
    var to: Address
    var subject: String
    var body: String
    var date: Date
    var messageID: String

    /// The whole message with CRLF line ends.
    func rendered() -> String {
        var lines = [
            "Date: \(Self.dateFormatter.string(from: date))",
            "From: \(Self.header(from))",
            "To: \(Self.header(to))",
            "Subject: \(Self.encodedText(subject))",
            "Message-ID: <\(Self.clean(messageID))>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "Content-Type: text/plain; charset=utf-8",
        ]
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if normalized.allSatisfy({ $0.isASCII }) {
            lines.append("Content-Transfer-Encoding: 7bit")
            lines.append("")
            lines += normalized.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.prefix(990)) }
        } else {
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            let encoded = Data(normalized.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString()
            var rest = Substring(encoded)
            while !rest.isEmpty {
                lines.append(String(rest.prefix(76)))
                rest = rest.dropFirst(76)
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func header(_ address: Address) -> String {
        let email = clean(address.email)
        guard let name = address.name.map(clean), !name.isEmpty else { return "<\(email)>" }
        return "\(encodedPhrase(name)) <\(email)>"
    }

    /// Drops CR, LF and other control characters.
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }))
    }

    /// A display name: quoted when it is ASCII, an encoded word otherwise.
    static func encodedPhrase(_ text: String) -> String {
        guard text.unicodeScalars.allSatisfy({ $0.isASCII }) else { return encodedWord(text) }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func encodedText(_ text: String) -> String {
        let cleaned = clean(text)
        return cleaned.unicodeScalars.allSatisfy({ $0.isASCII }) ? cleaned : encodedWord(cleaned)
    }

    static func encodedWord(_ text: String) -> String {
        "=?utf-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    static let dateFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter
    }()
}
