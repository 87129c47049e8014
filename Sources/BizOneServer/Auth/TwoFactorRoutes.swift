import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// The signed-in person's 2FA: `POST /api/me/2fa` (start enrolment: secret and otpauth URI),
/// `POST /api/me/2fa/confirm {code}` (on, with 10 recovery codes shown once) and
/// `DELETE /api/me/2fa {password, code}` (off).
struct TwoFactorRoutes: Sendable {
    let store: StateStore
    let settings: AuthSettings
    let now: @Sendable () -> Date

    struct Enrolment: Encodable { var secret: String; var otpauthUri: String }
    struct Confirm: Decodable { var code: String }
    struct Confirmed: Encodable { var enabled = true; var recoveryCodes: [String] }
    struct Disable: Decodable { var password: String; var code: String }

    static let invalidCode = ApiError(.unauthorized, "invalid_code", "the code is wrong, expired or already used")

    func sealer() throws -> TwoFactor {
        guard let secret = settings.secretKey, !secret.isEmpty else {
            throw ApiError(.serviceUnavailable, "no_secret_key", "2FA needs serve's secret key: set BIZONE_SECRET_KEY for bizone serve")
        }
        return TwoFactor(secret: secret)
    }

    func register(on router: inout GuardedRouter) {
        router.post("/api/me/2fa", .enrolment) { _, _, principal in
            let principal = try MeRoutes.required(principal)
            let sealer = try sealer()
            let secret = TwoFactor.newSecret(random: settings.random)
            let sealed = try sealer.seal(secret)
            let store = self.store
            let at = now()
            guard try await Blocking.run({ try store.beginTwoFactor(userName: principal.user.name, sealedSecret: sealed, at: at) }) else {
                throw ApiError(.conflict, "already_enabled", "2FA is already on: turn it off first (DELETE /api/me/2fa)")
            }
            return JSONResponse.make(.ok, Enrolment(secret: secret, otpauthUri: TwoFactor.uri(secret: secret, account: principal.user.email)))
        }
        router.post("/api/me/2fa/confirm", .enrolment) { request, context, principal in
            let principal = try MeRoutes.required(principal)
            let body = try await JSONBody.decode(Confirm.self, from: request)
            let sealer = try sealer()
            let store = self.store
            let name = principal.user.name
            guard let record = try await Blocking.run({ try store.twoFactor(userName: name) }), !record.confirmed else {
                throw ApiError(.conflict, "no_enrolment", "start enrolment first (POST /api/me/2fa)")
            }
            let at = now()
            guard let secret = sealer.open(record.sealedSecret), let step = TwoFactor.step(of: body.code, secret: secret, at: at) else {
                throw Self.invalidCode
            }
            let (codes, hashes) = TwoFactor.recoveryCodes(random: settings.random)
            let event = SecurityEvent(at: at, kind: .twoFactorEnabled, userName: name, email: principal.user.email,
                                      sessionID: principal.sessionID, ip: context.clientIP)
            guard try await Blocking.run({ try store.confirmTwoFactor(userName: name, step: step, recoveryHashes: hashes, at: at, event: event) })
            else { throw ApiError(.conflict, "no_enrolment", "start enrolment first (POST /api/me/2fa)") }
            return JSONResponse.make(.ok, Confirmed(recoveryCodes: codes))
        }
        router.delete("/api/me/2fa", .signedIn) { request, context, principal in
            let principal = try MeRoutes.required(principal)
            let body = try await JSONBody.decode(Disable.self, from: request)
            let store = self.store
            let name = principal.user.name
            let email = principal.user.email
            let account = try await Blocking.run { try store.account(email: email) }
            guard try await PasswordHasher(cost: settings.bcryptCost).verify(body.password, hash: account?.passwordHash) else {
                throw AuthRoutes.invalidCredentials
            }
            let at = now()
            guard try await check(code: body.code, user: principal.user, at: at, ip: context.clientIP) else { throw Self.invalidCode }
            try await Blocking.run {
                try store.disableTwoFactor(userName: name, event: SecurityEvent(at: at, kind: .twoFactorDisabled, userName: name, email: email,
                                                                                sessionID: principal.sessionID, ip: context.clientIP))
            }
            return Response(status: .noContent)
        }
    }

    /// Whether `code` is a good second factor for `user` now: a TOTP code of a step not used
    /// before, or an unused recovery code (spent by this check, with a security event).
    func check(code: String, user: UserRecord, at: Date, ip: String?) async throws -> Bool {
        let store = self.store
        let name = user.name
        guard let record = try await Blocking.run({ try store.twoFactor(userName: name) }), record.confirmed else { return false }
        if let secret = try sealer().open(record.sealedSecret), let step = TwoFactor.step(of: code, secret: secret, at: at) {
            return try await Blocking.run { try store.useTwoFactorStep(userName: name, step: step) }
        }
        let hash = TwoFactor.recoveryHash(code)
        let event = SecurityEvent(at: at, kind: .recoveryCodeUsed, userName: name, email: user.email, ip: ip)
        return try await Blocking.run { try store.useRecoveryCode(userName: name, hash: hash, at: at, event: event) }
    }
}
