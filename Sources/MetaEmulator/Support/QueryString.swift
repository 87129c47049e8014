import Foundation

/// `application/x-www-form-urlencoded` pairs, decoded (`+` is a space) and in order.
struct QueryString: Sendable, Hashable {
    var pairs: [(key: String, value: String)]

    init(pairs: [(key: String, value: String)] = []) { self.pairs = pairs }

    init(parsing text: String?) {
        guard let text, !text.isEmpty else {
            pairs = []
            return
        }
        pairs = text.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            return (key, value)
        }
    }

    /// The last value of `key` (Graph keeps the last one too).
    subscript(key: String) -> String? { pairs.last { $0.key == key }?.value }

    func removing(_ keys: Set<String>) -> QueryString {
        QueryString(pairs: pairs.filter { !keys.contains($0.key) })
    }

    mutating func set(_ key: String, _ value: String) {
        pairs.removeAll { $0.key == key }
        pairs.append((key, value))
    }

    var encoded: String {
        pairs.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    /// `access_token` replaced by `REDACTED`, for logs.
    var redacted: String {
        QueryString(pairs: pairs.map { $0.key == "access_token" ? ($0.key, "REDACTED") : $0 }).encoded
    }

    static func == (lhs: QueryString, rhs: QueryString) -> Bool {
        lhs.pairs.map(\.key) == rhs.pairs.map(\.key) && lhs.pairs.map(\.value) == rhs.pairs.map(\.value)
    }

    func hash(into hasher: inout Hasher) {
        for pair in pairs {
            hasher.combine(pair.key)
            hasher.combine(pair.value)
        }
    }

    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
