import BizOneModel
import BizOneStore
import Foundation

/// How sign-in behaves: token lifetimes, the bcrypt cost and the password rules.
public struct AuthSettings: Sendable {
    /// An access token is short-lived: a stolen one is good for minutes, and logout or a
    /// revoke ends it at once anyway (tokens are checked in the store on every request).
    public var accessLifetime: TimeInterval = 15 * 60
    /// A device stays signed in this long after its last refresh.
    public var refreshLifetime: TimeInterval = 30 * 24 * 3600
    /// `bizone user invite` links.
    public var inviteLifetime: TimeInterval = 72 * 3600
    /// Forgot-password links (the e-mail says 30 minutes).
    public var resetLifetime: TimeInterval = 30 * 60
    /// bcrypt's log2 rounds (12: about a quarter second per hash here; `make bench` prints it).
    public var bcryptCost: UInt8 = 12
    public var passwordPolicy = PasswordPolicy()
    /// Failed sign-ins per e-mail and per client IP within a sliding window (in the store, so
    /// they hold across restarts and servers).
    public var loginLimits = LoginLimits()
    public var random: any RandomSource = SystemRandomSource()
    /// Serve's secret key (`BIZONE_SECRET_KEY`), which seals TOTP secrets and the tokens of
    /// reset e-mails waiting in the outbox; without it 2FA enrolment is refused with a message
    /// saying so, and forgot-password sends nothing (the log says why).
    public var secretKey: String?

    public init() {}
}
