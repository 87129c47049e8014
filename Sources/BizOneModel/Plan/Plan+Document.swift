import Foundation

extension Plan {
    /// The plan as a file: pretty JSON, keys sorted (so it diffs well in CI artifacts), times
    /// in ISO 8601.
    public func document() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    /// Reads what `document()` wrote.
    public init(document data: Data) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        self = try decoder.decode(Plan.self, from: data)
    }
}
