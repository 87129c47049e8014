import BizOneModel
import Foundation

/// Reads a secret's value at the moment of use, for every module that needs one (the Graph
/// client's token, webhook secrets, forward signing keys). The value goes to the caller only:
/// never logged, stored or put into an error message.
public enum SecretResolver {
    /// The value, or nil when the variable is unset or empty, or the file unreadable or empty
    /// (surrounding whitespace, such as the newline editors add to files, is trimmed).
    public static func resolve(_ ref: SecretRef, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        switch ref {
        case .env(let name):
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return nil }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
    }

    public static func isResolvable(_ ref: SecretRef) -> Bool { resolve(ref) != nil }
}
