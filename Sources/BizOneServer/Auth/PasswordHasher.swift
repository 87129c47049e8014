import Foundation
import HummingbirdBcrypt

/// bcrypt on a thread of its own (a hash takes a quarter of a second by design; on the
/// cooperative pool it would stall every other request).
struct PasswordHasher: Sendable {
    let cost: UInt8

    /// A hash no password matches, checked against when the account is unknown or has no
    /// password, so those answers take as long as a wrong password (no account enumeration
    /// by timing).
    private static let decoy = Bcrypt.hash("bizone decoy: no account has this password", cost: 12)

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await Blocking.run { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`; with no hash, spends the same time and says no.
    func verify(_ password: String, hash: String?) async throws -> Bool {
        try await Blocking.run {
            guard let hash else {
                _ = Bcrypt.verify(password, hash: Self.decoy)
                return false
            }
            return Bcrypt.verify(password, hash: hash)
        }
    }
}
