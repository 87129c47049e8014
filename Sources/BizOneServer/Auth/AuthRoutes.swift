import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// Sign-in: `POST /api/auth/password/set` (with an invite token), `/api/auth/password/forgot`
/// and `/api/auth/password/reset` (with the e-mailed token), `/api/auth/login`,
/// `/api/auth/refresh` and `/api/auth/logout`.
///
/// Answers never say whether an e-mail belongs to an account: an unknown e-mail, a wrong
/// password and a user who cannot sign in get the same 401, after the same bcrypt work.
struct AuthRoutes: Sendable {
    let store: StateStore
    let settings: AuthSettings
    let now: @Sendable () -> Date

    var hasher: PasswordHasher { PasswordHasher(cost: settings.bcryptCost) }

    static let invalidCredentials = ApiError(.unauthorized, "invalid_credentials", "the e-mail or password is wrong")
    static let invalidToken = ApiError(.unauthorized, "invalid_token", "the token is unknown, spent or expired")

    struct PasswordSet: Decodable { var token: String; var password: String }
    struct Forgot: Decodable { var email: String }
    struct PasswordChange: Decodable { var currentPassword: String; var newPassword: String }
    struct Login: Decodable { var email: String; var password: String; var code: String? }
    struct Refresh: Decodable { var refreshToken: String }

    /// The tokens a client gets after sign-in or refresh.
    struct Tokens: Encodable {
        var accessToken: String
        var refreshToken: String
        var tokenType = "Bearer"
        var expiresIn: Int
        var sessionId: String
    }

    func register(on router: inout GuardedRouter) {
        router.post("/api/auth/password/set", .open(reason: "the one-time token in the body is the credential")) { request, context, _ in
            try await setPassword(request, context, purpose: .invite)
        }
        router.post("/api/auth/password/forgot", .open(reason: "anyone may ask; the link goes only to the account's own e-mail")) { request, context, _ in
            try await forgot(request, context)
        }
        router.post("/api/auth/password/reset", .open(reason: "the e-mailed one-time token in the body is the credential")) { request, context, _ in
            try await setPassword(request, context, purpose: .reset)
        }
        router.post("/api/me/password", .enrolment) { request, context, principal in
            try await changePassword(request, context, principal: try MeRoutes.required(principal))
        }
        router.post("/api/auth/login", .open(reason: "the password in the body is the credential")) { request, context, _ in
            try await login(request, context)
        }
        router.post("/api/auth/refresh", .open(reason: "the refresh token in the body is the credential")) { request, context, _ in
            try await refresh(request, context)
        }
        router.post("/api/auth/logout", .enrolment) { _, context, principal in
            guard let principal else { throw ApiError.unauthenticated }
            let at = now()
            let event = SecurityEvent(at: at, kind: .loggedOut, userName: principal.user.name, email: principal.user.email,
                                      sessionID: principal.sessionID, ip: context.clientIP)
            let store = self.store
            _ = try await Blocking.run {
                try store.revokeSession(id: principal.sessionID, userName: principal.user.name, reason: "logged out", at: at, event: event)
            }
            return Response(status: .noContent)
        }
    }

    /// Always 202, whether or not the e-mail has an account (no enumeration): the work done is
    /// the same small write either way, and the e-mail goes from the outbox later.
    private func forgot(_ request: Request, _ context: ServerContext) async throws -> Response {
        let body = try await JSONBody.decode(Forgot.self, from: request)
        let accepted = JSONResponse.make(.accepted, ["status": "if this e-mail belongs to an account, a reset link is on its way"])
        guard let secret = settings.secretKey, !secret.isEmpty else {
            context.logger.warning("password reset asked for, but reset e-mails need serve's secret key: set BIZONE_SECRET_KEY")
            return accepted
        }
        let token = SecretToken.make(.reset, random: settings.random)
        let sealed = try SecretSealer.mail(secret: secret).seal(token)
        let at = now()
        let store = self.store
        let lifetime = settings.resetLifetime
        let ip = context.clientIP
        let email = String(body.email.prefix(320))
        _ = try await Blocking.run {
            try store.requestPasswordReset(email: email, tokenHash: SecretToken.hash(token), sealedToken: sealed, at: at,
                                           expiresAt: at + lifetime, ip: ip)
        }
        return accepted
    }

    /// Sets a password with a one-time token: an invitation's (`password/set`) or a reset
    /// e-mail's (`password/reset`, which also signs out every device of the user).
    private func setPassword(_ request: Request, _ context: ServerContext, purpose: UserTokenPurpose) async throws -> Response {
        let body = try await JSONBody.decode(PasswordSet.self, from: request)
        let hash = SecretToken.hash(body.token)
        let store = self.store
        let at = now()
        guard let user = try await Blocking.run({ try store.userForToken(hash: hash, purpose: purpose, at: at) }) else {
            throw Self.invalidToken
        }
        if let problem = settings.passwordPolicy.problem(with: body.password, email: user.email, displayName: user.displayName) {
            throw ApiError(.unprocessableContent, "weak_password", problem)
        }
        let passwordHash = try await hasher.hash(body.password)
        let ip = context.clientIP
        guard try await Blocking.run({ try store.setPassword(withToken: hash, purpose: purpose, passwordHash: passwordHash, at: at, ip: ip) }) != nil
        else { throw Self.invalidToken }
        return JSONResponse.make(.ok, ["status": purpose == .reset ? "password reset; every device is signed out" : "password set",
                                       "email": user.email])
    }

    /// A signed-in person changes their password by proving the current one; their other
    /// devices are signed out, this one stays.
    private func changePassword(_ request: Request, _ context: ServerContext, principal: Principal) async throws -> Response {
        let body = try await JSONBody.decode(PasswordChange.self, from: request)
        let store = self.store
        let user = principal.user
        let emailKey = user.email.lowercased()
        let ip = context.clientIP
        let limits = settings.loginLimits
        // Guessing the current password here counts like failed sign-ins (a stolen access
        // token must not become an unlimited password oracle).
        if case .limited(let seconds, _) = try await Blocking.run({ try store.loginGate(emailKey: emailKey, ip: ip, at: now(), limits: limits) }) {
            throw ApiError(.tooManyRequests, "too_many_attempts", "too many failed attempts: try again in \(seconds) seconds",
                           headers: [.retryAfter: "\(seconds)"])
        }
        let account = try await Blocking.run { try store.account(email: user.email) }
        guard try await hasher.verify(body.currentPassword, hash: account?.passwordHash) else {
            let event = SecurityEvent(at: now(), kind: .loginFailed, userName: user.name, email: user.email, sessionID: principal.sessionID,
                                      ip: ip, detail: "wrong current password when changing it")
            let failedAt = event.at
            _ = try await Blocking.run { try store.recordLoginFailure(emailKey: emailKey, ip: ip, at: failedAt, limits: limits, event: event) }
            throw ApiError(.forbidden, "wrong_password", "currentPassword is not your password")
        }
        if let problem = settings.passwordPolicy.problem(with: body.newPassword, email: user.email, displayName: user.displayName) {
            throw ApiError(.unprocessableContent, "weak_password", problem)
        }
        let passwordHash = try await hasher.hash(body.newPassword)
        let at = now()
        let ended = try await Blocking.run {
            try store.changePassword(userName: user.name, passwordHash: passwordHash, keepSession: principal.sessionID, at: at, ip: ip)
        }
        return JSONResponse.make(.ok, ["status": "password changed", "otherSessionsEnded": "\(ended)"])
    }

    private func login(_ request: Request, _ context: ServerContext) async throws -> Response {
        let body = try await JSONBody.decode(Login.self, from: request)
        let store = self.store
        let email = body.email
        let emailKey = email.lowercased()
        let ip = context.clientIP
        let limits = settings.loginLimits
        let started = now()
        // Over a limit nothing is checked (not even the password), for known and unknown e-mails alike.
        if case .limited(let seconds, let byIP) = try await Blocking.run({ try store.loginGate(emailKey: emailKey, ip: ip, at: started, limits: limits) }) {
            let event = SecurityEvent(at: started, kind: .loginLimited, email: emailKey, ip: ip,
                                      detail: byIP ? "too many failed sign-ins from this address" : "too many failed sign-ins for this e-mail")
            try await Blocking.run { try store.recordSecurityEvent(event) }
            throw ApiError(.tooManyRequests, "too_many_attempts", "too many failed sign-ins: try again in \(seconds) seconds",
                           headers: [.retryAfter: "\(seconds)"])
        }
        let account = try await Blocking.run { try store.account(email: email) }
        let matches = try await hasher.verify(body.password, hash: account?.passwordHash)
        let at = now()
        guard let account, matches, !account.user.disabled else {
            let event = SecurityEvent(at: at, kind: .loginFailed, userName: account?.user.name, email: account?.user.email ?? emailKey,
                                      ip: ip, detail: account == nil ? "unknown e-mail" : (matches ? "user disabled" : "wrong password"))
            if try await Blocking.run({ try store.recordLoginFailure(emailKey: emailKey, ip: ip, at: at, limits: limits, event: event) }) != nil {
                context.logger.warning("account locked after failed sign-ins", metadata: ["user": "\(account?.user.name ?? "-")"])
            }
            throw Self.invalidCredentials
        }
        // The second factor, once the password is right: a TOTP or a recovery code.
        if try await Blocking.run({ try store.twoFactor(userName: account.user.name)?.confirmed }) == true {
            guard let code = body.code else {
                throw ApiError(.unauthorized, "two_factor_required", "this account has 2FA: send code (a TOTP or a recovery code) with the password")
            }
            guard try await TwoFactorRoutes(store: store, settings: settings, now: now).check(code: code, user: account.user, at: at, ip: ip) else {
                let event = SecurityEvent(at: at, kind: .loginFailed, userName: account.user.name, email: account.user.email, ip: ip,
                                          detail: "wrong second factor")
                _ = try await Blocking.run { try store.recordLoginFailure(emailKey: emailKey, ip: ip, at: at, limits: limits, event: event) }
                throw TwoFactorRoutes.invalidCode
            }
        }
        let sessionID = SecretToken.make(.session, random: settings.random)
        let (tokens, pair) = issue(at: at)
        let agent = request.headers[.userAgent].map { String($0.prefix(300)) }
        let start = SessionStart(id: sessionID, userName: account.user.name, ip: ip, userAgent: agent, tokens: pair, at: at)
        let event = SecurityEvent(at: at, kind: .loginSucceeded, userName: account.user.name, email: account.user.email,
                                  sessionID: sessionID, ip: ip, detail: agent.map { "agent: \($0)" })
        try await Blocking.run { try store.startSession(start, event: event, emailKey: emailKey) }
        return JSONResponse.make(.ok, Tokens(accessToken: tokens.access, refreshToken: tokens.refresh,
                                             expiresIn: Int(settings.accessLifetime), sessionId: sessionID))
    }

    private func refresh(_ request: Request, _ context: ServerContext) async throws -> Response {
        let body = try await JSONBody.decode(Refresh.self, from: request)
        let store = self.store
        let at = now()
        let (tokens, pair) = issue(at: at)
        let hash = SecretToken.hash(body.refreshToken)
        let ip = context.clientIP
        switch try await Blocking.run({ try store.refreshSession(refreshHash: hash, tokens: pair, at: at, ip: ip) }) {
        case .rotated(let principal):
            return JSONResponse.make(.ok, Tokens(accessToken: tokens.access, refreshToken: tokens.refresh,
                                                 expiresIn: Int(settings.accessLifetime), sessionId: principal.sessionID))
        case .reused:
            context.logger.warning("refresh token reused: session ended", metadata: ["ip": "\(ip ?? "-")"])
            throw Self.invalidToken
        case .invalid:
            throw Self.invalidToken
        }
    }

    /// A fresh token pair: the tokens for the client and their hashes for the store.
    private func issue(at: Date) -> (tokens: (access: String, refresh: String), pair: TokenPair) {
        let access = SecretToken.make(.access, random: settings.random)
        let refresh = SecretToken.make(.refresh, random: settings.random)
        return ((access, refresh), TokenPair(accessHash: SecretToken.hash(access), accessExpiresAt: at + settings.accessLifetime,
                                             refreshHash: SecretToken.hash(refresh), refreshExpiresAt: at + settings.refreshLifetime))
    }
}
