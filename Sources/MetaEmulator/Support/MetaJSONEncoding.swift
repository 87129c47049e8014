import Foundation
import MetaGraph

/// `MetaJSON.encode` for replies; a failure becomes a Graph error 1.
enum MetaJSONEncoding {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        do {
            return try MetaJSON.encode(value)
        } catch {
            throw EmulatorGraphError.internalError("encoding the response failed: \(error)")
        }
    }
}
