/// A one-line reason for a failed decode, naming the JSON path.
enum DecodingErrorText {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \(path(context.codingPath + [key]))"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) should be \(name(of: type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) should be \(name(of: type)), not null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "malformed JSON" : "\(path(context.codingPath)) is malformed"
        @unknown default:
            return "\(error)"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "['\(key.stringValue)']"
            }
        }
        return text.isEmpty ? "the value" : text
    }

    private static func name(of type: Any.Type) -> String {
        switch "\(type)" {
        case "String": return "a string"
        case "Int", "Int64", "Double": return "a number"
        case "Bool": return "a boolean"
        case let text where text.hasPrefix("Array"): return "an array"
        default: return "an object"
        }
    }
}
