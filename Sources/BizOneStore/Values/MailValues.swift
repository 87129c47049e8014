import Foundation

/// The security e-mails a person gets about their own account.
public enum SecurityMailKind: String, Sendable, Hashable, CaseIterable {
    case newDeviceSignIn = "new_device_sign_in"
    case passwordChanged = "password_changed"
    case passwordReset = "password_reset"
    /// The forgot-password e-mail, with the one-time reset link.
    case passwordResetRequested = "password_reset_requested"
    case twoFactorEnabled = "two_factor_enabled"
    case twoFactorDisabled = "two_factor_disabled"
    case recoveryCodeUsed = "recovery_code_used"
    case accountLocked = "account_locked"

    /// The e-mail an event sends its owner, if any. A sign-in mails only from a device the
    /// user has not signed in from before (the store decides that); a password first set from
    /// an invitation mails nothing (the person just did it, from the invitation).
    public init?(event: SecurityEventKind) {
        switch event {
        case .loginSucceeded: self = .newDeviceSignIn
        case .passwordChanged: self = .passwordChanged
        case .passwordReset: self = .passwordReset
        case .passwordResetRequested: self = .passwordResetRequested
        case .twoFactorEnabled: self = .twoFactorEnabled
        case .twoFactorDisabled: self = .twoFactorDisabled
        case .recoveryCodeUsed: self = .recoveryCodeUsed
        case .accountLocked: self = .accountLocked
        case .inviteIssued, .passwordSet, .loginFailed, .loginLimited, .refreshTokenReused, .sessionRevoked, .loggedOut,
             .permissionDenied, .userChanged, .roleChanged:
            return nil
        }
    }
}

/// A queued security e-mail, claimed for delivery.
public struct OutboxMail: Sendable, Hashable {
    public var id: Int64
    public var kind: SecurityMailKind
    public var recipient: String
    /// The user as declared now (nil when no longer declared: the mail still goes to the
    /// address it was queued for).
    public var user: UserRecord?
    /// The event the mail is about (when, from where, which device).
    public var event: SecurityEvent?
    /// The sealed one-time token of a reset e-mail.
    public var sealedSecret: String?
    public var attempts: Int
    public var createdAt: Date

    public init(id: Int64, kind: SecurityMailKind, recipient: String, user: UserRecord?, event: SecurityEvent?, sealedSecret: String?,
                attempts: Int, createdAt: Date) {
        self.id = id
        self.kind = kind
        self.recipient = recipient
        self.user = user
        self.event = event
        self.sealedSecret = sealedSecret
        self.attempts = attempts
        self.createdAt = createdAt
    }
}

/// When a failed delivery is tried again: 30 s after the first failure, doubling, at most an
/// hour apart; after `maxAttempts` (about a day of trying) the mail is given up.
public struct MailRetry: Sendable, Hashable {
    public var base: TimeInterval
    public var cap: TimeInterval
    public var maxAttempts: Int

    public init(base: TimeInterval = 30, cap: TimeInterval = 3600, maxAttempts: Int = 30) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
    }

    /// The wait after `attempts` failures (1 or more); nil when it is time to give up.
    /// Clamped: `attempts` comes from the file and may be anything.
    public func delay(afterAttempts attempts: Int) -> TimeInterval? {
        guard attempts < maxAttempts else { return nil }
        let exponent = min(max(attempts, 1), 31) - 1
        return min(cap, max(0, base) * Double(1 << exponent))
    }
}

/// How many security e-mails are where, for `bizone status`.
public struct MailOutboxCounts: Sendable, Hashable {
    public var queued: Int
    public var delivered: Int
    public var failed: Int
    /// The newest failure's error, while some are queued or failed.
    public var lastError: String?

    public init(queued: Int, delivered: Int, failed: Int, lastError: String? = nil) {
        self.queued = queued
        self.delivered = delivered
        self.failed = failed
        self.lastError = lastError
    }
}
