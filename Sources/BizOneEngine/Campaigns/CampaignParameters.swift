import BizOneModel
import Foundation

/// Fills a campaign's `spec.parameters` for one recipient: each value is a literal with any
/// number of `{{contact.name}}`, `{{contact.phone}}` and `{{contact.attributes.X}}`
/// references. A reference without a value (no name, no such attribute, an empty string)
/// makes the recipient skipped with a reason such as `missing contact.attributes.city`, so no
/// broken message is ever sent.
public struct CampaignParameters: Sendable, Hashable {
    enum Piece: Sendable, Hashable {
        case literal(String)
        case name
        case phone
        case attribute(String)
        /// A reference the loader would have refused; it has no value for anyone.
        case unknown(String)
    }

    struct Entry: Sendable, Hashable {
        var key: String
        var pieces: [Piece]
    }

    /// Compiled values, sorted by parameter key.
    let values: [Entry]

    public init(_ parameters: [String: String]) {
        values = parameters.keys.sorted().map { key in Entry(key: key, pieces: Self.compile(parameters[key] ?? "")) }
    }

    /// The parameter keys, sorted.
    public var keys: [String] { values.map(\.key) }

    /// The values for one recipient, or why the recipient must be skipped.
    public func resolve(phone: String, name: String?, attributes: [String: String]) -> Result<[String: String], Missing> {
        var result: [String: String] = [:]
        for entry in values {
            let key = entry.key
            var text = ""
            for piece in entry.pieces {
                switch piece {
                case .literal(let literal):
                    text += literal
                case .name:
                    guard let name, !name.trimmingCharacters(in: .whitespaces).isEmpty else { return .failure(Missing("contact.name")) }
                    text += name
                case .phone:
                    text += phone
                case .attribute(let attribute):
                    guard let value = attributes[attribute], !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                        return .failure(Missing("contact.attributes.\(attribute)"))
                    }
                    text += value
                case .unknown(let reference):
                    return .failure(Missing(reference))
                }
            }
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return .failure(Missing("a value for parameter \(key)")) }
            result[key] = text
        }
        return .success(result)
    }

    /// A reference without a value; `reason` is what the outbox records.
    public struct Missing: Error, Sendable, Hashable {
        public var reference: String
        public init(_ reference: String) { self.reference = reference }
        public var reason: String { "missing \(reference)" }
    }

    static func compile(_ value: String) -> [Piece] {
        var pieces: [Piece] = []
        var rest = value[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            if open.lowerBound > rest.startIndex { pieces.append(.literal(String(rest[..<open.lowerBound]))) }
            let reference = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let prefix = "contact.attributes."
            if reference == "contact.name" {
                pieces.append(.name)
            } else if reference == "contact.phone" {
                pieces.append(.phone)
            } else if reference.hasPrefix(prefix), reference.count > prefix.count {
                pieces.append(.attribute(String(reference.dropFirst(prefix.count))))
            } else {
                pieces.append(.unknown(reference))
            }
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.literal(String(rest))) }
        return pieces
    }
}
