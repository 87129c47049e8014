import BizOneModel
import Foundation
import Hummingbird

/// Reads a small JSON request body into `T` through the project's parser, so a bad body is a
/// 400 that names the field (`password: missing`) and never echoes a value.
enum JSONBody {
    static let maxBytes = 64 * 1024

    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        try decode(T.self, from: try await collect(request))
    }

    /// nil for an empty body (the fields are all optional then).
    static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T? {
        let buffer = try await collect(request)
        return buffer.readableBytes == 0 ? nil : try decode(T.self, from: buffer)
    }

    static func collect(_ request: Request) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: maxBytes)
        } catch {
            throw ApiError(.contentTooLarge, "too_large", "the body is over \(maxBytes) bytes")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        let value: JSONValue
        do {
            value = try JSONValue.parse(Data(buffer.readableBytesView))
        } catch let error as JSONValue.ParseError {
            throw ApiError.badRequest("the body is not JSON: \(error)")
        }
        do {
            return try value.decodeTree(T.self)
        } catch let error as DecodingError {
            throw ApiError.badRequest(error.fieldProblem)
        }
    }
}

extension DecodingError {
    /// `field: problem` for an API answer: the coding path and what was wrong, without the value.
    var fieldProblem: String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "body" : text)
        }
        switch self {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "the body does not have the expected shape"
        }
    }
}
