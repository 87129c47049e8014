extension JSONValue {
    /// The members of an object, read field by field for a hand-written `init(tree:)`.
    ///
    /// `decodeTree` runs a type's `Codable` conformance through a `Decoder`; for the three
    /// statuses of every webhook that machinery (containers, key existentials, a coding path
    /// built per level) was ~10 % of `serve`'s CPU under load. A reader written with these
    /// calls gives what the synthesized `init(from:)` gives: a required key that is missing, or
    /// any value of the wrong type (null for a required key included), throws the
    /// `DecodingError` `decodeTree` throws (same case, same coding path); an optional key that
    /// is missing or null reads as nil.
    /// Numbers follow `decodeTree`: an integer takes an integral value in its range.
    public struct Fields {
        let members: [String: JSONValue]
        let codingPath: [any CodingKey]

        /// `value` must be an object; `codingPath` is where it sits (empty at the top).
        public init(_ value: JSONValue, codingPath: [any CodingKey] = []) throws {
            guard case .object(let members) = value else {
                throw Self.mismatch([String: JSONValue].self, value, codingPath)
            }
            self.members = members
            self.codingPath = codingPath
        }

        // The coding path of a key is built only for an error: building it for every field read
        // (an array of existentials per call) cost more than the reading.

        public func string(_ key: String) throws -> String {
            try string(required(key), key)
        }

        public func optionalString(_ key: String) throws -> String? {
            guard let value = present(key) else { return nil }
            return try string(value, key)
        }

        public func int(_ key: String) throws -> Int {
            try int(required(key), key)
        }

        public func optionalBool(_ key: String) throws -> Bool? {
            guard let value = present(key) else { return nil }
            guard case .bool(let flag) = value else { throw Self.mismatch(Bool.self, value, path(key)) }
            return flag
        }

        /// A nested object, read by `read` with its own `Fields`.
        public func optionalObject<T>(_ key: String, _ read: (Fields) throws -> T) throws -> T? {
            guard let value = present(key) else { return nil }
            return try read(Fields(value, codingPath: path(key)))
        }

        /// An array of objects, each read by `read`.
        public func optionalArray<T>(_ key: String, _ read: (Fields) throws -> T) throws -> [T]? {
            guard let value = present(key) else { return nil }
            guard case .array(let items) = value else { throw Self.mismatch([JSONValue].self, value, path(key)) }
            let arrayPath = path(key)
            var result: [T] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                result.append(try read(Fields(item, codingPath: arrayPath + [FieldKey(intValue: index)])))
            }
            return result
        }

        // MARK: - Private

        /// What `decodeIfPresent` treats as absent: no key, or null.
        private func present(_ key: String) -> JSONValue? {
            guard let value = members[key] else { return nil }
            if case .null = value { return nil }
            return value
        }

        private func required(_ key: String) throws -> JSONValue {
            guard let value = members[key] else {
                throw DecodingError.keyNotFound(FieldKey(stringValue: key), .init(
                    codingPath: codingPath, debugDescription: "No value associated with key \(key)."))
            }
            return value
        }

        private func path(_ key: String) -> [any CodingKey] { codingPath + [FieldKey(stringValue: key)] }

        private func string(_ value: JSONValue, _ key: String) throws -> String {
            guard case .string(let text) = value else { throw Self.mismatch(String.self, value, path(key)) }
            return text
        }

        private func int(_ value: JSONValue, _ key: String) throws -> Int {
            let converted: Int?
            switch value {
            case .int(let number): converted = number
            case .double(let number): converted = Int(exactly: number)
            default: throw Self.mismatch(Int.self, value, path(key))
            }
            guard let converted else {
                throw DecodingError.dataCorrupted(.init(codingPath: path(key), debugDescription: "Number \(value) does not fit in Int."))
            }
            return converted
        }

        private static func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
            .typeMismatch(type, .init(codingPath: path, debugDescription: "Expected \(type) but found \(value.kindDescription) instead."))
        }
    }

    /// How a type mismatch names what it found ("a string", "an array").
    var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "a dictionary"
        }
    }
}

/// A key of the coding paths `JSONValue.Fields` and `decodeTree` report.
struct FieldKey: CodingKey, Sendable {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}
