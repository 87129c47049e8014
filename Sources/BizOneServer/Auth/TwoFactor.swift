import BizOneModel
import Crypto
import Foundation
import HummingbirdOTP

/// TOTP (RFC 6238: 6 digits, 30 s, SHA-1, what authenticator apps expect) and recovery codes.
///
/// The secret must be readable again to check codes, so it cannot be hashed: it is sealed with
/// AES-GCM under a key derived from serve's secret key (`BIZONE_SECRET_KEY`) and stored only
/// sealed. Recovery codes are random and shown once, so they are stored as hashes.
struct TwoFactor: Sendable {
    let sealer: SecretSealer

    /// From the operator's secret (any length; HKDF makes the AES key of it).
    init(secret: String) {
        sealer = SecretSealer(secret: secret, purpose: "bizone 2fa secret sealing")
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    /// A new shared secret: 20 characters of the base32 alphabet. HummingbirdOTP keys HMAC with
    /// the secret's UTF-8 bytes, and its otpauth URI carries those bytes in base32.
    static func newSecret(random: some RandomSource) -> String {
        String(random.bytes(20).map { alphabet[Int($0) % alphabet.count] })
    }

    static func uri(secret: String, account: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "BizOne:\(account)", issuer: "BizOne")
    }

    func seal(_ secret: String) throws -> String { try sealer.seal(secret) }

    /// nil when the sealed value is not ours (another key, a damaged row).
    func open(_ sealed: String) -> String? { sealer.open(sealed) }

    /// The time step a 6-digit `code` is right for, allowing one step of clock drift either way.
    static func step(of code: String, secret: String, at: Date) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let value = Int(digits) else { return nil }
        let totp = TOTP(secret: secret)
        let current = Int64((at.timeIntervalSince1970 / 30).rounded(.down))
        for step in [current, current - 1, current + 1] where totp.compute(date: Date(timeIntervalSince1970: Double(step) * 30)) == value {
            return step
        }
        return nil
    }

    /// Ten recovery codes like `k7qm-2xbd-9wfe`, and their hashes for the store.
    static func recoveryCodes(random: some RandomSource) -> (codes: [String], hashes: [String]) {
        let letters = Array("abcdefghjkmnpqrstuvwxyz23456789")
        let codes = (0..<10).map { _ -> String in
            let chars = random.bytes(12).map { letters[Int($0) % letters.count] }
            return [chars[0..<4], chars[4..<8], chars[8..<12]].map { String($0) }.joined(separator: "-")
        }
        return (codes, codes.map(recoveryHash))
    }

    /// Case and dashes do not matter when a person types a code back.
    static func recoveryHash(_ code: String) -> String {
        SecretToken.hash("recovery:" + code.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}
