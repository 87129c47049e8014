import Crypto
import Foundation

/// Content hashes identify what was applied, so a plan can tell "unchanged" without a diff.
public enum ContentHash {
    public static func of(_ value: JSONValue) -> String {
        let data = (try? value.canonicalData()) ?? Data()
        return of(data)
    }

    public static func of(_ data: Data) -> String {
        "sha256:" + hex(SHA256.hash(data: data))
    }

    /// Lower-case hex of bytes (digests, token hashes).
    public static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Incremental hashing for files too large to hold in memory (audience CSVs).
    public struct Stream {
        private var hasher = SHA256()
        public init() {}
        public mutating func update(_ data: Data) { hasher.update(data: data) }
        public func finish() -> String {
            "sha256:" + ContentHash.hex(hasher.finalize())
        }
    }
}
