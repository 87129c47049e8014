import Crypto
import Foundation

/// Seals a secret the server must read back later (a TOTP secret, the token of a reset e-mail
/// waiting in the outbox), so the state never holds it in clear: AES-GCM under a key derived
/// by HKDF from serve's secret key (`BIZONE_SECRET_KEY`), one key per purpose.
struct SecretSealer: Sendable {
    let key: SymmetricKey

    /// `purpose` separates the keys: a value sealed for one purpose does not open for another.
    init(secret: String, purpose: String) {
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)),
                                     info: Data(purpose.utf8), outputByteCount: 32)
    }

    func seal(_ secret: String) throws -> String {
        guard let combined = try AES.GCM.seal(Data(secret.utf8), using: key).combined else {
            throw ApiError(.internalServerError, "internal", "a secret could not be sealed")
        }
        return combined.base64EncodedString()
    }

    /// nil when the sealed value is not ours (another key, a damaged row).
    func open(_ sealed: String) -> String? {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key) else { return nil }
        return String(data: plain, encoding: .utf8)
    }

    /// The sealer of reset tokens waiting in the mail outbox.
    static func mail(secret: String) -> SecretSealer { SecretSealer(secret: secret, purpose: "bizone mail token sealing") }
}
