import BizOneModel
import Crypto
import Foundation

/// Bearer secrets bizone hands out (access, refresh, invite and reset tokens): 32 random
/// bytes, base64url, behind a prefix that says what the token is (so a leaked one is
/// recognisable in a scanner). Only `hash` of a token is ever stored.
enum SecretToken {
    enum Kind: String {
        case access = "bza"
        case refresh = "bzr"
        case invite = "bzi"
        case reset = "bzp"
        case session = "ses"
    }

    static func make(_ kind: Kind, random: some RandomSource) -> String {
        kind.rawValue + "_" + base64URL(random.bytes(32))
    }

    /// SHA-256, hex: tokens are long random values, so a fast hash is enough (no salt needed).
    static func hash(_ token: String) -> String {
        ContentHash.hex(SHA256.hash(data: Data(token.utf8)))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Where random bytes come from: the system's generator in serve, a seeded one in unit tests.
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) -> [UInt8]
}

/// The operating system's cryptographic generator.
public struct SystemRandomSource: RandomSource {
    public init() {}

    public func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<max(0, count)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
