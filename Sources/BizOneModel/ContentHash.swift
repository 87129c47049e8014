import Crypto
import Foundation

/// Content hashes identify what was applied, so a plan can tell "unchanged" without a diff.
public enum ContentHash {
    public static func of(_ value: JSONValue) -> String {
        let data = (try? value.canonicalData()) ?? Data()
        return of(data)
    }

    public static func of(_ data: Data) -> String {
        "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Incremental hashing for files too large to hold in memory (audience CSVs).
    public struct Stream {
        private var hasher = SHA256()
        public init() {}
        public mutating func update(_ data: Data) { hasher.update(data: data) }
        public func finish() -> String {
            "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
        }
    }
}
