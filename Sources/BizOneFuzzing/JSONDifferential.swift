import BizOneModel
import Foundation

/// The JSON parser's oracle: Foundation's `JSONSerialization` (fragments allowed) must accept
/// and refuse the same inputs and yield the same values as `JSONValue.parse`.
///
/// Known, deliberate differences are excluded before comparing, each for a reason:
/// - inputs Foundation would read as UTF-16 or UTF-32 (a UTF-16/32 byte-order mark, or a zero
///   byte among the first four): Meta and the Graph API send UTF-8 only, so `JSONValue.parse`
///   does not guess encodings;
/// - Foundation drops a raw U+FEFF (bytes EF BB BF) at the start of a string or key and after
///   each escape in it, and then merges keys that differ only by it: inputs with those bytes
///   anywhere but at the very start are not compared (a leading one both skip);
/// - numbers are compared by value (`1.0` is `.int(1)` here, a double there; integers beyond
///   64 bits and long fractions are decimals there, doubles here), to 1e-12 relative.
public enum JSONDifferential {
    /// A description of how the two parsers disagree about `data`, or nil when they agree.
    public static func disagreement(_ data: Data) -> String? {
        let ours = Result { try JSONValue.parse(data) }
        guard comparable(data) else { return nil }
        let theirs = Result { try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) }
        switch (ours, theirs) {
        case (.failure, .failure):
            return nil
        case (.success(let value), .failure(let error)):
            return "JSONValue accepted what JSONSerialization refused (\(error)): \(value.canonicalString.prefix(200))"
        case (.failure(let error), .success):
            return "JSONValue refused what JSONSerialization accepted: \(error)"
        case (.success(let value), .success(let object)):
            if let difference = compare(Normal(value), Normal(foundation: object), path: "$") {
                return difference
            }
            // The canonical form must read back as the same tree (hashes depend on it).
            guard let again = try? JSONValue.parse(Data(value.canonicalString.utf8)), again == value else {
                return "canonical form does not read back: \(value.canonicalString.prefix(200))"
            }
            return nil
        }
    }

    static func comparable(_ data: Data) -> Bool {
        let head = Array(data.prefix(4))
        if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) { return false }
        if head.count >= 2, head.contains(0) { return false }
        let bytes = [UInt8](data)
        if bytes.count > 3 {
            for index in 1..<(bytes.count - 2) where bytes[index] == 0xEF && bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF {
                return false
            }
        }
        return true
    }

    /// Both parsers' values in one shape.
    indirect enum Normal {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([Normal])
        case object([String: Normal])
        case unknown(String)

        init(_ value: JSONValue) {
            switch value {
            case .null: self = .null
            case .bool(let flag): self = .bool(flag)
            case .int(let number): self = .number(Double(number))
            case .double(let number): self = .number(number)
            case .string(let text): self = .string(text)
            case .array(let items): self = .array(items.map(Normal.init))
            case .object(let members): self = .object(members.mapValues(Normal.init))
            }
        }

        init(foundation object: Any) {
            switch object {
            case is NSNull: self = .null
            case let text as String: self = .string(text)
            case let number as NSNumber:
                self = String(cString: number.objCType) == "c" ? .bool(number.boolValue) : .number(number.doubleValue)
            case let items as [Any]: self = .array(items.map(Normal.init(foundation:)))
            case let members as [String: Any]: self = .object(members.mapValues(Normal.init(foundation:)))
            default: self = .unknown("\(type(of: object))")
            }
        }
    }

    static func compare(_ ours: Normal, _ theirs: Normal, path: String) -> String? {
        switch (ours, theirs) {
        case (.null, .null):
            return nil
        case (.bool(let a), .bool(let b)):
            return a == b ? nil : "\(path): \(a) vs \(b)"
        case (.number(let a), .number(let b)):
            let scale = max(abs(a), abs(b), 1e-300)
            return a == b || abs(a - b) / scale <= 1e-12 ? nil : "\(path): \(a) vs \(b)"
        case (.string(let a), .string(let b)):
            return a == b ? nil : "\(path): \(a.debugDescription.prefix(80)) vs \(b.debugDescription.prefix(80))"
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return "\(path): \(a.count) items vs \(b.count)" }
            for (index, pair) in zip(a, b).enumerated() {
                if let difference = compare(pair.0, pair.1, path: "\(path)[\(index)]") { return difference }
            }
            return nil
        case (.object(let a), .object(let b)):
            guard Set(a.keys) == Set(b.keys) else {
                return "\(path): keys \(a.keys.sorted().prefix(10)) vs \(b.keys.sorted().prefix(10))"
            }
            for key in a.keys.sorted() {
                if let left = a[key], let right = b[key], let difference = compare(left, right, path: "\(path).\(key)") {
                    return difference
                }
            }
            return nil
        default:
            return "\(path): \(ours) vs \(theirs)"
        }
    }
}
