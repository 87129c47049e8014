import BizOneModel
import Foundation

/// Hashes a file while it is being read, so a CSV is read once for both checks and digest.
struct DigestAccumulator {
    private var stream = ContentHash.Stream()
    mutating func update(_ data: Data) { stream.update(data) }
    func finish() -> String { stream.finish() }
}
