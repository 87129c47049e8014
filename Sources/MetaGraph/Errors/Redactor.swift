import Foundation

/// Removes secrets from text before it is logged or shown: every occurrence of a configured
/// secret (raw or percent-encoded) becomes `[REDACTED]`, and so does the value of any
/// `access_token=` query parameter (Meta's `paging.next` URLs carry one).
///
/// Its own `description` never shows the secrets.
public struct Redactor: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public static let placeholder = "[REDACTED]"

    private let needles: [String]

    public init(secrets: [String]) {
        var needles = Set<String>()
        for secret in secrets where !secret.isEmpty {
            needles.insert(secret)
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != secret {
                needles.insert(encoded)
            }
        }
        // Longest first, so a secret containing another is replaced whole.
        self.needles = needles.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    public init(secret: String) { self.init(secrets: [secret]) }

    /// Redacts nothing but `access_token=` parameters.
    public static let none = Redactor(secrets: [])

    public func redact(_ text: String) -> String {
        var result = text
        for needle in needles where result.contains(needle) {
            result = result.replacingOccurrences(of: needle, with: Self.placeholder)
        }
        return Self.redactAccessTokenParameters(result)
    }

    public func callAsFunction(_ text: String) -> String { redact(text) }

    public var description: String { "Redactor(\(needles.count) pattern\(needles.count == 1 ? "" : "s"))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// `...access_token=abc&x=1` -> `...access_token=[REDACTED]&x=1`.
    static func redactAccessTokenParameters(_ text: String) -> String {
        let key = "access_token="
        guard text.contains(key) else { return text }
        var output = ""
        var rest = text[...]
        while let range = rest.range(of: key) {
            output += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let end = rest.firstIndex { $0 == "&" || $0 == "#" || $0 == "\"" || $0 == "'" || $0.isWhitespace } ?? rest.endIndex
            if rest.startIndex != end {
                output += placeholder
            }
            rest = rest[end...]
        }
        output += rest
        return output
    }
}
