import Foundation

/// JSON the way Meta writes it: compact, and non-ASCII escaped as `\uXXXX` (reference §11.2),
/// which is what webhook signatures are computed over.
public enum MetaJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return escapeNonASCII(try encoder.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }

    /// Rewrites every non-ASCII scalar as `\uXXXX` (surrogate pairs above U+FFFF). Safe on
    /// whole JSON documents: outside strings JSON is ASCII.
    public static func escapeNonASCII(_ data: Data) -> Data {
        guard data.contains(where: { $0 >= 0x80 }) else { return data }
        var output = Data()
        output.reserveCapacity(data.count + 64)
        let text = String(decoding: data, as: UTF8.self)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                output.append(UInt8(scalar.value))
            } else {
                for unit in String(scalar).utf16 {
                    output.append(contentsOf: Array(String(format: "\\u%04x", unit).utf8))
                }
            }
        }
        return output
    }
}
