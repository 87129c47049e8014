import BizOneModel
import Foundation
import GRDB

/// Sign-in state of the declared users (see `StoreMigrations.v8Accounts`). Tokens arrive
/// here as hashes only; what a token is and how it is hashed is the server's business.
///
/// Every check that a token is still good (unspent, unexpired, its session live, its user
/// declared and enabled) happens inside the transaction that uses it, so two servers on one
/// file (or two requests at once) cannot both spend it.
extension StateStore {
    /// The declared user with this e-mail (compared without case), and their password hash.
    public func account(email: String) throws -> AccountRecord? {
        try read { db in
            guard let row = try UserRow.filter(sql: "lower(email) = lower(?)", arguments: [email]).fetchOne(db) else { return nil }
            return AccountRecord(user: try Self.user(row, db), passwordHash: try UserCredentialRow.fetchOne(db, key: row.name)?.passwordHash)
        }
    }

    /// Issues a one-time token for `userName` (its hash): earlier unspent tokens of the same
    /// purpose stop working, so only the newest link is good.
    public func issueUserToken(hash: String, userName: String, purpose: UserTokenPurpose, at: Date, expiresAt: Date,
                               event: SecurityEvent? = nil) throws {
        try write { db in
            try UserTokenRow.filter(UserTokenRow.Columns.userName == userName && UserTokenRow.Columns.purpose == purpose.rawValue
                                    && UserTokenRow.Columns.usedAt == nil)
                .updateAll(db, UserTokenRow.Columns.usedAt.set(to: Timestamps.format(at)))
            try UserTokenRow(tokenHash: hash, userName: userName, purpose: purpose.rawValue, createdAt: at, expiresAt: expiresAt).insert(db)
            if let event { try Self.record(event, db) }
        }
    }

    /// The user a one-time token is good for now, or nil (unknown, spent, expired, or the user
    /// is no longer declared or is disabled).
    public func userForToken(hash: String, purpose: UserTokenPurpose, at: Date) throws -> UserRecord? {
        try read { db in try Self.liveToken(hash: hash, purpose: purpose, at: at, db)?.user }
    }

    /// Spends a one-time token and sets the password hash it was for, in one transaction; a
    /// reset also ends every session of the user. Returns the user, or nil when the token is no
    /// longer good (nothing changed then).
    public func setPassword(withToken hash: String, purpose: UserTokenPurpose, passwordHash: String, at: Date,
                            ip: String?) throws -> UserRecord? {
        try write { db in
            guard let (token, user) = try Self.liveToken(hash: hash, purpose: purpose, at: at, db) else { return nil }
            var spent = token
            spent.usedAt = at
            try spent.update(db)
            try UserCredentialRow(userName: user.name, passwordHash: passwordHash, changedAt: at).save(db)
            var revoked = 0
            if purpose == .reset {
                revoked = try Self.revokeAll(userName: user.name, reason: "password reset", at: at, db)
            }
            try Self.record(SecurityEvent(at: at, kind: purpose == .reset ? .passwordReset : .passwordSet, userName: user.name,
                                          email: user.email, ip: ip,
                                          detail: "by \(purpose.rawValue) token" + (revoked > 0 ? "; \(revoked) sessions ended" : "")), db)
            return user
        }
    }

    /// Sets a new password for a signed-in user who proved the current one. Every other
    /// session of theirs ends (whoever knew the old password is signed out); `keepSession`
    /// stays. Returns how many ended.
    public func changePassword(userName: String, passwordHash: String, keepSession: String, at: Date, ip: String?) throws -> Int {
        try write { db in
            guard let row = try UserRow.fetchOne(db, key: userName) else { return 0 }
            try UserCredentialRow(userName: userName, passwordHash: passwordHash, changedAt: at).save(db)
            let others = try UserSessionRow.filter(UserSessionRow.Columns.userName == userName && UserSessionRow.Columns.revokedAt == nil
                                                   && UserSessionRow.Columns.id != keepSession).fetchAll(db)
            for session in others { try Self.revoke(session, reason: "password changed", at: at, db) }
            try Self.record(SecurityEvent(at: at, kind: .passwordChanged, userName: userName, email: row.email, sessionID: keepSession, ip: ip,
                                          detail: others.isEmpty ? nil : "\(others.count) other sessions ended"), db)
            return others.count
        }
    }

    /// Whether `emailKey` (a lower-cased e-mail, known or not) may try to sign in from `ip` now.
    public func loginGate(emailKey: String, ip: String?, at: Date, limits: LoginLimits) throws -> LoginGate {
        try read { db in
            let since = Timestamps.format(at - limits.window)
            func wait(_ filter: SQLExpression, limit: Int) throws -> Int? {
                let recent = LoginFailureRow.filter(filter && LoginFailureRow.Columns.at > since)
                guard try recent.fetchCount(db) >= limit, let oldest = try recent.order(LoginFailureRow.Columns.at).fetchOne(db)
                else { return nil }
                // Clamped before converting: a clock step or a row from the future cannot trap.
                let seconds = min(max(1, (oldest.at + limits.window).timeIntervalSince(at).rounded(.up)), limits.window.rounded(.up) + 1)
                return Int(seconds)
            }
            if let seconds = try wait(LoginFailureRow.Columns.emailKey == emailKey, limit: limits.perEmail) {
                return .limited(retryAfter: seconds, byIP: false)
            }
            if let ip, let seconds = try wait(LoginFailureRow.Columns.ip == ip, limit: limits.perIP) {
                return .limited(retryAfter: seconds, byIP: true)
            }
            return .open
        }
    }

    /// Counts a failed sign-in and records `event` with it. When this failure brings the
    /// e-mail to its limit, the account is locked: an `account_locked` event is recorded in
    /// the same transaction and the lockout returned (for the e-mail to its owner).
    public func recordLoginFailure(emailKey: String, ip: String?, at: Date, limits: LoginLimits,
                                   event: SecurityEvent) throws -> SecurityEvent? {
        try write { db in
            try LoginFailureRow.filter(LoginFailureRow.Columns.at <= Timestamps.format(at - 2 * limits.window)).deleteAll(db)
            try LoginFailureRow(at: at, emailKey: emailKey, ip: ip).insert(db)
            try Self.record(event, db)
            let recent = try LoginFailureRow.filter(LoginFailureRow.Columns.emailKey == emailKey
                                                    && LoginFailureRow.Columns.at > Timestamps.format(at - limits.window)).fetchCount(db)
            guard recent == limits.perEmail else { return nil }
            let lockout = SecurityEvent(at: at, kind: .accountLocked, userName: event.userName, email: event.email, ip: ip,
                                        detail: "\(recent) failed sign-ins in a row; locked for \(Int(limits.window / 60)) minutes")
            try Self.record(lockout, db)
            return lockout
        }
    }

    /// Opens a device session with its first token pair, and records `event` with it. The
    /// e-mail's failed sign-ins are forgiven (the limit counts consecutive failures). A device
    /// (user agent) the user never signed in from before gets them a new-device e-mail.
    public func startSession(_ start: SessionStart, event: SecurityEvent, emailKey: String) throws {
        try write { db in
            let knownDevice = try UserSessionRow.filter(UserSessionRow.Columns.userName == start.userName
                                                        && UserSessionRow.Columns.userAgent == start.userAgent).fetchCount(db) > 0
            try Self.record(event, mail: !knownDevice, db)
            try LoginFailureRow.filter(LoginFailureRow.Columns.emailKey == emailKey).deleteAll(db)
            try UserSessionRow(id: start.id, userName: start.userName, createdAt: start.at, lastUsedAt: start.at,
                               expiresAt: start.tokens.refreshExpiresAt, ip: start.ip, userAgent: start.userAgent).insert(db)
            for row in SessionTokenRow.pair(start.tokens, session: start.id, at: start.at) { try row.insert(db) }
        }
    }

    /// Who an access token belongs to, if it is good now: unexpired, its session live, its user
    /// declared and enabled; with the applied roles and whether the user has 2FA on, so the
    /// guard decides on one read. The session's last use moves when it is older than
    /// `touchAfter` (a busy client does not write on every request).
    public func admission(accessHash: String, at: Date, touchAfter: TimeInterval = 60) throws -> Admission? {
        // Cached statements: this runs on every signed-in request (make bench: building the
        // query-interface requests anew was a third of the lookup).
        let found: (Admission, UserSessionRow)? = try read { db in
            guard let token = try SessionTokenRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM session_tokens WHERE token_hash = ?"),
                                                           arguments: [accessHash]),
                  token.kind == SessionTokenRow.Kind.access.rawValue, token.rotatedAt == nil, token.expiresAt > at,
                  let (session, user) = try Self.liveSession(id: token.sessionID, at: at, db) else { return nil }
            let roles = try RoleRow.fetchAll(db.cachedStatement(sql: "SELECT * FROM roles ORDER BY name")).map(\.record)
            let twoFactorOn = try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT confirmed_at IS NOT NULL FROM user_two_factor WHERE user_name = ?
                """), arguments: [user.name]) ?? false
            return (Admission(principal: Principal(sessionID: session.id, user: user), roles: roles, twoFactorOn: twoFactorOn), session)
        }
        guard let (admission, session) = found else { return nil }
        if at.timeIntervalSince(session.lastUsedAt) > touchAfter {
            try write { db in
                try UserSessionRow.filter(key: session.id).updateAll(db, Column("last_used_at").set(to: Timestamps.format(at)))
            }
        }
        return admission
    }

    /// Exchanges a refresh token for `tokens`. A refresh token already exchanged once ends its
    /// whole session (someone else holds a copy), recorded as `refresh_token_reused`.
    public func refreshSession(refreshHash: String, tokens: TokenPair, at: Date, ip: String?) throws -> RefreshOutcome {
        try write { db in
            guard var token = try SessionTokenRow.fetchOne(db, key: refreshHash), token.kind == SessionTokenRow.Kind.refresh.rawValue
            else { return .invalid }
            if token.rotatedAt != nil {
                guard let session = try UserSessionRow.fetchOne(db, key: token.sessionID) else { return .invalid }
                if session.revokedAt == nil {
                    try Self.revoke(session, reason: "refresh token reused", at: at, db)
                }
                let email = try UserRow.fetchOne(db, key: session.userName)?.email
                try Self.record(SecurityEvent(at: at, kind: .refreshTokenReused, userName: session.userName, email: email,
                                              sessionID: session.id, ip: ip,
                                              detail: "a refresh token was presented again after it was exchanged; the session is ended"), db)
                return .reused(sessionID: session.id, userName: session.userName)
            }
            guard token.expiresAt > at, let (session, user) = try Self.liveSession(id: token.sessionID, at: at, db) else { return .invalid }
            token.rotatedAt = at
            try token.update(db)
            // The session's earlier access tokens end with the exchange: one live pair per device.
            try SessionTokenRow.filter(SessionTokenRow.Columns.sessionID == session.id && SessionTokenRow.Columns.kind == SessionTokenRow.Kind.access.rawValue)
                .deleteAll(db)
            for row in SessionTokenRow.pair(tokens, session: session.id, at: at) { try row.insert(db) }
            var touched = session
            touched.lastUsedAt = at
            touched.expiresAt = tokens.refreshExpiresAt
            try touched.update(db)
            return .rotated(Principal(sessionID: session.id, user: user))
        }
    }

    /// Ends one session of `userName` at once (its tokens stop working); false when it is not
    /// theirs or already ended. Records `event` when it ended one.
    public func revokeSession(id: String, userName: String, reason: String, at: Date, event: SecurityEvent) throws -> Bool {
        try write { db in
            guard let session = try UserSessionRow.fetchOne(db, key: id), session.userName == userName, session.revokedAt == nil
            else { return false }
            try Self.revoke(session, reason: reason, at: at, db)
            try Self.record(event, db)
            return true
        }
    }

    /// The user's live sessions, newest first.
    public func sessions(userName: String, at: Date) throws -> [SessionRecord] {
        try read { db in
            try UserSessionRow.filter(UserSessionRow.Columns.userName == userName && UserSessionRow.Columns.revokedAt == nil)
                .order(UserSessionRow.Columns.createdAt.desc)
                .fetchAll(db).filter { $0.expiresAt > at }.map(\.record)
        }
    }

    public func recordSecurityEvent(_ event: SecurityEvent) throws {
        try write { db in try Self.record(event, db) }
    }

    /// Security events, oldest first: at or after `since`, of `userName`, the newest `limit`.
    public func securityEvents(since: Date? = nil, userName: String? = nil, limit: Int? = nil) throws -> [SecurityEvent] {
        try read { db in
            var request = SecurityEventRow.all()
            if let since { request = request.filter(SecurityEventRow.Columns.at >= Timestamps.format(since)) }
            if let userName { request = request.filter(SecurityEventRow.Columns.userName == userName) }
            request = request.order(SecurityEventRow.Columns.id.desc)
            if let limit { request = request.limit(max(0, limit)) }
            return try request.fetchAll(db).compactMap(\.event).reversed()
        }
    }

    // MARK: - Inside a transaction

    /// Cached statements: these run for every signed-in request.
    static func user(_ row: UserRow, _ db: Database) throws -> UserRecord {
        let roles = try String.fetchAll(db.cachedStatement(sql: "SELECT role_name FROM user_roles WHERE user_name = ? ORDER BY role_name"),
                                        arguments: [row.name])
        return UserRecord(name: row.name, email: row.email, displayName: row.displayName, disabled: row.disabled,
                          teams: row.teams, roles: roles)
    }

    /// The declared, enabled user behind a live session.
    private static func liveSession(id: String, at: Date, _ db: Database) throws -> (UserSessionRow, UserRecord)? {
        guard let session = try UserSessionRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM user_sessions WHERE id = ?"), arguments: [id]),
              session.revokedAt == nil, session.expiresAt > at,
              let row = try UserRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE name = ?"), arguments: [session.userName]),
              !row.disabled else { return nil }
        return (session, try user(row, db))
    }

    private static func liveToken(hash: String, purpose: UserTokenPurpose, at: Date,
                                  _ db: Database) throws -> (token: UserTokenRow, user: UserRecord)? {
        guard let token = try UserTokenRow.fetchOne(db, key: hash), token.purpose == purpose.rawValue, token.usedAt == nil,
              token.expiresAt > at, let row = try UserRow.fetchOne(db, key: token.userName), !row.disabled else { return nil }
        return (token, try user(row, db))
    }

    private static func revoke(_ session: UserSessionRow, reason: String, at: Date, _ db: Database) throws {
        var ended = session
        ended.revokedAt = at
        ended.revokeReason = reason
        try ended.update(db)
        try SessionTokenRow.filter(SessionTokenRow.Columns.sessionID == session.id && SessionTokenRow.Columns.kind == SessionTokenRow.Kind.access.rawValue)
            .deleteAll(db)
    }

    /// Ends every live session of a user; how many.
    static func revokeAll(userName: String, reason: String, at: Date, _ db: Database) throws -> Int {
        let live = try UserSessionRow.filter(UserSessionRow.Columns.userName == userName && UserSessionRow.Columns.revokedAt == nil).fetchAll(db)
        for session in live { try revoke(session, reason: reason, at: at, db) }
        return live.count
    }
}
