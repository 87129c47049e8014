import BizOneModel
import Foundation
import Testing

/// `JSONValue.decodeTree` must decode what `decode` (JSONDecoder over the written-out tree)
/// decodes, and fail where it fails, naming the same path.
struct TreeDecoderTests {
    struct Status: Codable, Equatable {
        struct Pricing: Codable, Equatable {
            var billable: Bool
            var category: String?
        }
        var id: String
        var timestamp: String
        var count: Int
        var ratio: Double
        var pricing: Pricing?
        var tags: [String]
        var extra: JSONValue?
        var small: Int8?
    }

    static let sample = #"""
        {"id":"wamid.1","timestamp":"1750030073","count":3,"ratio":1,"pricing":{"billable":true,"category":null},
         "tags":["a","b"],"extra":{"k":[1,2.5,"x",null,true]},"small":-7}
        """#

    @Test func decodesLikeJSONDecoder() throws {
        let tree = try JSONValue.parse(Data(Self.sample.utf8))
        let direct = try tree.decodeTree(Status.self)
        #expect(direct == (try tree.decode(Status.self)))
        #expect(direct.pricing == Status.Pricing(billable: true, category: nil))
        #expect(direct.extra == .object(["k": .array([.int(1), .double(2.5), .string("x"), .null, .bool(true)])]))
        #expect(direct.small == -7)
    }

    @Test func failsWithThePath() throws {
        let cases: [(String, String)] = [
            (#"{"id":"1","timestamp":"t","count":"3","ratio":1,"tags":[]}"#, "count"),
            (#"{"id":"1","timestamp":"t","count":3,"ratio":1,"tags":["a",2]}"#, "tags.Index 1"),
            (#"{"id":"1","count":3,"ratio":1,"tags":[]}"#, "timestamp"),
            (#"{"id":"1","timestamp":"t","count":3,"ratio":1,"tags":[],"pricing":{"category":"x"}}"#, "pricing.billable"),
        ]
        for (text, path) in cases {
            let tree = try JSONValue.parse(Data(text.utf8))
            #expect(throws: DecodingError.self) { try tree.decode(Status.self) }
            do {
                _ = try tree.decodeTree(Status.self)
                Issue.record("\(text) decoded")
            } catch let error as DecodingError {
                #expect(Self.path(error) == path, "\(text)")
            }
        }
    }

    /// Out-of-range and fractional numbers are errors, never a trap or a rounded value.
    @Test func numbersConvertOnlyWhenExact() throws {
        for text in [#"{"id":"1","timestamp":"t","count":3,"ratio":1,"tags":[],"small":300}"#,
                     #"{"id":"1","timestamp":"t","count":3.5,"ratio":1,"tags":[]}"#,
                     #"{"id":"1","timestamp":"t","count":1e300,"ratio":1,"tags":[]}"#] {
            let tree = try JSONValue.parse(Data(text.utf8))
            #expect(throws: DecodingError.self, "\(text)") { try tree.decodeTree(Status.self) }
        }
        let integral = try JSONValue.parse(Data(#"{"id":"1","timestamp":"t","count":4.0,"ratio":2,"tags":[]}"#.utf8))
        #expect(try integral.decodeTree(Status.self).count == 4)
    }

    static func path(_ error: DecodingError) -> String {
        let keys: [any CodingKey]
        switch error {
        case .keyNotFound(let key, let context): keys = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): keys = context.codingPath
        @unknown default: keys = []
        }
        return keys.map(\.stringValue).joined(separator: ".")
    }
}
