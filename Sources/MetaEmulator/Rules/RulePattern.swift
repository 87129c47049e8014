import Foundation

/// A regular expression from a rules file, compiled once; matching searches (is not anchored).
public struct RulePattern: Sendable, Decodable, CustomStringConvertible {
    public let source: String
    private let regex: Compiled

    public init(_ source: String) throws {
        self.source = source
        do {
            regex = Compiled(try NSRegularExpression(pattern: source))
        } catch {
            throw EmulatorRulesError(path: nil, message: "invalid regular expression \"\(source)\"")
        }
    }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func matches(_ text: String) -> Bool {
        regex.value.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    public var description: String { source }

    /// NSRegularExpression is immutable and safe to share once built.
    private final class Compiled: @unchecked Sendable {
        let value: NSRegularExpression
        init(_ value: NSRegularExpression) { self.value = value }
    }
}
