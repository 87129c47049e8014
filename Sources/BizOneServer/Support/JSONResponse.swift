import BizOneModel
import Foundation
import Hummingbird

/// JSON answers with sorted keys (stable for tests and diffs).
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamps.format(date))
        }
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"internal","message":"the answer could not be encoded"}"#.utf8)
        return raw(status, data)
    }

    static func raw(_ status: HTTPResponse.Status, _ data: Data) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
