import BizOneModel
import Crypto
import Foundation

/// `X-Hub-Signature-256: sha256=<hex>` over the exact body bytes (reference §11.2). Shared by
/// the emulator (which signs) and the server (which verifies), so both agree byte for byte.
public enum WebhookSignature {
    public static let header = "X-Hub-Signature-256"
    private static let hexDigits = Array("0123456789abcdef".utf8)

    public static func sign(_ body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        var hex: [UInt8] = Array("sha256=".utf8)
        hex.reserveCapacity(71)
        for byte in mac {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Constant-time check of a header value (upper-case hex accepted).
    public static func verify(_ body: Data, header value: String?, secret: String) -> Bool {
        guard let value, value.lowercased().hasPrefix("sha256=") else { return false }
        let given = Array(value.dropFirst(7).lowercased().utf8)
        let expected = Array(sign(body, secret: secret).dropFirst(7).utf8)
        return ConstantTime.equals(given, expected)
    }
}
