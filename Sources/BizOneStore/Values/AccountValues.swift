import Foundation

/// A declared user as sign-in sees them: who they are, whether they may sign in, and the
/// bcrypt hash of their password when one has been set.
public struct AccountRecord: Sendable, Hashable {
    public var user: UserRecord
    public var passwordHash: String?

    public init(user: UserRecord, passwordHash: String?) {
        self.user = user
        self.passwordHash = passwordHash
    }
}

/// What a one-time token lets its holder do.
public enum UserTokenPurpose: String, Sendable, Hashable, CaseIterable {
    /// Set a first password (`bizone user invite`).
    case invite
    /// Replace a forgotten password.
    case reset
}

/// The signed-in person behind a request: their session and their declared user.
public struct Principal: Sendable, Hashable {
    public var sessionID: String
    public var user: UserRecord

    public init(sessionID: String, user: UserRecord) {
        self.sessionID = sessionID
        self.user = user
    }
}

/// What the route guard needs to decide on a request: who, the applied roles (for the
/// matrix), and whether the person has 2FA on.
public struct Admission: Sendable, Hashable {
    public var principal: Principal
    public var roles: [RoleRecord]
    public var twoFactorOn: Bool

    public init(principal: Principal, roles: [RoleRecord], twoFactorOn: Bool) {
        self.principal = principal
        self.roles = roles
        self.twoFactorOn = twoFactorOn
    }
}

/// One device's session, as `GET /api/me/sessions` lists it.
public struct SessionRecord: Sendable, Hashable {
    public var id: String
    public var userName: String
    public var createdAt: Date
    public var lastUsedAt: Date
    public var expiresAt: Date
    public var ip: String?
    public var userAgent: String?
    public var revokedAt: Date?

    public init(id: String, userName: String, createdAt: Date, lastUsedAt: Date, expiresAt: Date, ip: String?,
                userAgent: String?, revokedAt: Date?) {
        self.id = id
        self.userName = userName
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.ip = ip
        self.userAgent = userAgent
        self.revokedAt = revokedAt
    }
}

/// The hashes of a fresh access and refresh token pair and when each expires. Only hashes
/// reach the store; the tokens themselves go to the client once.
public struct TokenPair: Sendable, Hashable {
    public var accessHash: String
    public var accessExpiresAt: Date
    public var refreshHash: String
    public var refreshExpiresAt: Date

    public init(accessHash: String, accessExpiresAt: Date, refreshHash: String, refreshExpiresAt: Date) {
        self.accessHash = accessHash
        self.accessExpiresAt = accessExpiresAt
        self.refreshHash = refreshHash
        self.refreshExpiresAt = refreshExpiresAt
    }
}

/// A new device session: who, from where, and its first tokens.
public struct SessionStart: Sendable, Hashable {
    public var id: String
    public var userName: String
    public var ip: String?
    public var userAgent: String?
    public var tokens: TokenPair
    public var at: Date

    public init(id: String, userName: String, ip: String?, userAgent: String?, tokens: TokenPair, at: Date) {
        self.id = id
        self.userName = userName
        self.ip = ip
        self.userAgent = userAgent
        self.tokens = tokens
        self.at = at
    }
}

/// What presenting a refresh token did.
public enum RefreshOutcome: Sendable, Hashable {
    /// Exchanged for the new pair; the presented token is spent.
    case rotated(Principal)
    /// The token had been exchanged before: someone replayed it, so its session is revoked
    /// (and a `refresh_token_reused` security event recorded in the same transaction).
    case reused(sessionID: String, userName: String)
    /// Unknown, expired, or its session or user can no longer sign in.
    case invalid
}

/// What happened to whose account (`bizone audit`, `GET /api/security-events`). `detail`
/// is written by bizone, never a secret or a password.
public struct SecurityEvent: Sendable, Hashable {
    public var id: Int64?
    public var at: Date
    public var kind: SecurityEventKind
    public var userName: String?
    public var email: String?
    public var sessionID: String?
    public var ip: String?
    public var detail: String?

    public init(id: Int64? = nil, at: Date, kind: SecurityEventKind, userName: String? = nil, email: String? = nil,
                sessionID: String? = nil, ip: String? = nil, detail: String? = nil) {
        self.id = id
        self.at = at
        self.kind = kind
        self.userName = userName
        self.email = email
        self.sessionID = sessionID
        self.ip = ip
        self.detail = detail
    }
}

/// The kinds of security event, as stored.
public enum SecurityEventKind: String, Sendable, Hashable, CaseIterable {
    case inviteIssued = "invite_issued"
    case passwordSet = "password_set"
    case passwordChanged = "password_changed"
    case passwordResetRequested = "password_reset_requested"
    case passwordReset = "password_reset"
    case loginSucceeded = "login_succeeded"
    case loginFailed = "login_failed"
    case loginLimited = "login_limited"
    case accountLocked = "account_locked"
    case refreshTokenReused = "refresh_token_reused"
    case sessionRevoked = "session_revoked"
    case loggedOut = "logged_out"
    case permissionDenied = "permission_denied"
    case twoFactorEnabled = "two_factor_enabled"
    case twoFactorDisabled = "two_factor_disabled"
    case recoveryCodeUsed = "recovery_code_used"
    case userChanged = "user_changed"
    case roleChanged = "role_changed"
}

/// Failed sign-ins allowed within a sliding window, per e-mail (its consecutive failures:
/// a success clears them) and per client IP. Reaching the e-mail limit locks the account
/// until the oldest failure leaves the window.
public struct LoginLimits: Sendable, Hashable {
    public var perEmail: Int
    public var perIP: Int
    public var window: TimeInterval

    public init(perEmail: Int = 10, perIP: Int = 100, window: TimeInterval = 15 * 60) {
        self.perEmail = perEmail
        self.perIP = perIP
        self.window = window
    }
}

/// Whether a sign-in may be tried now.
public enum LoginGate: Sendable, Hashable {
    case open
    /// Too many failures: try again after this many seconds (at least 1).
    case limited(retryAfter: Int, byIP: Bool)
}

/// A user's TOTP enrolment: the sealed secret, whether it is confirmed (on), and the last
/// time step a code was accepted for.
public struct TwoFactorRecord: Sendable, Hashable {
    public var sealedSecret: String
    public var confirmed: Bool
    public var lastStep: Int64?

    public init(sealedSecret: String, confirmed: Bool, lastStep: Int64?) {
        self.sealedSecret = sealedSecret
        self.confirmed = confirmed
        self.lastStep = lastStep
    }
}
