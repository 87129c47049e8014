import Foundation

/// The two flat shapes the state file keeps for contacts and recipients: attributes (an object
/// of strings) and tags or phone lists (a set of strings). Written through `canonicalString`,
/// so keys come out sorted and escaped as `JSONEncoder` with sorted keys and unescaped slashes
/// writes them: SQL that compares the text (`json_patch(...) IS NOT json(...)`) sees one form.
extension JSONValue {
    /// `{"a":"1","b":"2"}` once written.
    public init(strings: [String: String]) {
        self = .object(strings.mapValues(JSONValue.string))
    }

    /// `["a","b"]` once written: sorted, each value once, so equal sets give equal text.
    public init(stringSet: [String]) {
        self = .array(Set(stringSet).sorted().map(JSONValue.string))
    }

    /// The members of an object whose values are all strings; nil for anything else.
    public var stringMembers: [String: String]? {
        guard case .object(let members) = self else { return nil }
        var strings: [String: String] = [:]
        strings.reserveCapacity(members.count)
        for (key, value) in members {
            guard case .string(let string) = value else { return nil }
            strings[key] = string
        }
        return strings
    }
}
