/// A reference to a secret, never its value: `{env: NAME}` or `{file: PATH}`.
///
/// Only the reference is stored, hashed, planned or printed. The value is resolved at the
/// moment of use by whoever needs it (see `SecretResolver`), so it cannot leak into state.
public enum SecretRef: Sendable, Hashable, Codable, CustomStringConvertible {
    case env(String)
    case file(String)

    private enum CodingKeys: String, CodingKey { case env, file }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let name = try container.decodeIfPresent(String.self, forKey: .env) {
            self = .env(name)
        } else if let path = try container.decodeIfPresent(String.self, forKey: .file) {
            self = .file(path)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "secret reference needs env or file"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .env(let name): try container.encode(name, forKey: .env)
        case .file(let path): try container.encode(path, forKey: .file)
        }
    }

    public var description: String {
        switch self {
        case .env(let name): return "env:\(name)"
        case .file(let path): return "file:\(path)"
        }
    }

    /// Reads `description` back (`env:NAME`, `file:PATH`): the form queued forwards store.
    public init?(reference: String) {
        if reference.hasPrefix("env:"), reference.count > 4 {
            self = .env(String(reference.dropFirst(4)))
        } else if reference.hasPrefix("file:"), reference.count > 5 {
            self = .file(String(reference.dropFirst(5)))
        } else {
            return nil
        }
    }
}
