import Foundation

/// A URL query split into decoded pairs. Names keep their dots (`hub.mode`); `+` is a space
/// and percent escapes are decoded in names and values.
struct QueryItems: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(pieces[0])
            let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
            pairs.append((name, value))
        }
    }

    /// The first value given for `name`.
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
