import BizOneModel
import Foundation
import GRDB

/// A row of `user_credentials` (see `StoreMigrations.v8Accounts`).
struct UserCredentialRow: StoreRow {
    static let databaseTableName = "user_credentials"

    var userName: String
    var passwordHash: String
    var changedAt: Date

    enum CodingKeys: String, CodingKey {
        case userName = "user_name"
        case passwordHash = "password_hash"
        case changedAt = "changed_at"
    }
}

/// A row of `user_tokens`: a one-time token by its hash.
struct UserTokenRow: StoreRow {
    static let databaseTableName = "user_tokens"

    var tokenHash: String
    var userName: String
    var purpose: String
    var createdAt: Date
    var expiresAt: Date
    var usedAt: Date?

    enum CodingKeys: String, CodingKey {
        case purpose
        case tokenHash = "token_hash"
        case userName = "user_name"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case usedAt = "used_at"
    }

    enum Columns {
        static let userName = Column(CodingKeys.userName)
        static let purpose = Column(CodingKeys.purpose)
        static let usedAt = Column(CodingKeys.usedAt)
    }
}

/// A row of `user_sessions`.
struct UserSessionRow: StoreRow {
    static let databaseTableName = "user_sessions"

    var id: String
    var userName: String
    var createdAt: Date
    var lastUsedAt: Date
    var expiresAt: Date
    var ip: String?
    var userAgent: String?
    var revokedAt: Date?
    var revokeReason: String?

    enum CodingKeys: String, CodingKey {
        case id, ip
        case userName = "user_name"
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case expiresAt = "expires_at"
        case userAgent = "user_agent"
        case revokedAt = "revoked_at"
        case revokeReason = "revoke_reason"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let userName = Column(CodingKeys.userName)
        static let createdAt = Column(CodingKeys.createdAt)
        static let expiresAt = Column(CodingKeys.expiresAt)
        static let userAgent = Column(CodingKeys.userAgent)
        static let revokedAt = Column(CodingKeys.revokedAt)
    }

    var record: SessionRecord {
        SessionRecord(id: id, userName: userName, createdAt: createdAt, lastUsedAt: lastUsedAt, expiresAt: expiresAt,
                      ip: ip, userAgent: userAgent, revokedAt: revokedAt)
    }
}

/// A row of `session_tokens`.
struct SessionTokenRow: StoreRow {
    static let databaseTableName = "session_tokens"

    enum Kind: String { case access, refresh }

    var tokenHash: String
    var sessionID: String
    var kind: String
    var issuedAt: Date
    var expiresAt: Date
    var rotatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case kind
        case tokenHash = "token_hash"
        case sessionID = "session_id"
        case issuedAt = "issued_at"
        case expiresAt = "expires_at"
        case rotatedAt = "rotated_at"
    }

    enum Columns {
        static let sessionID = Column(CodingKeys.sessionID)
        static let kind = Column(CodingKeys.kind)
    }

    static func pair(_ tokens: TokenPair, session: String, at: Date) -> [SessionTokenRow] {
        [SessionTokenRow(tokenHash: tokens.accessHash, sessionID: session, kind: Kind.access.rawValue, issuedAt: at,
                         expiresAt: tokens.accessExpiresAt),
         SessionTokenRow(tokenHash: tokens.refreshHash, sessionID: session, kind: Kind.refresh.rawValue, issuedAt: at,
                         expiresAt: tokens.refreshExpiresAt)]
    }
}

/// A row of `security_events`.
struct SecurityEventRow: StoreRow {
    static let databaseTableName = "security_events"

    var id: Int64?
    var at: Date
    var kind: String
    var userName: String?
    var email: String?
    var sessionID: String?
    var ip: String?
    var detail: String?

    enum CodingKeys: String, CodingKey {
        case id, at, kind, email, ip, detail
        case userName = "user_name"
        case sessionID = "session_id"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let at = Column(CodingKeys.at)
        static let kind = Column(CodingKeys.kind)
        static let userName = Column(CodingKeys.userName)
    }

    init(_ event: SecurityEvent) {
        id = event.id
        at = event.at
        kind = event.kind.rawValue
        userName = event.userName
        email = event.email
        sessionID = event.sessionID
        ip = event.ip
        detail = event.detail
    }

    /// nil for a kind this version does not know (written by a newer one).
    var event: SecurityEvent? {
        guard let kind = SecurityEventKind(rawValue: kind) else { return nil }
        return SecurityEvent(id: id, at: at, kind: kind, userName: userName, email: email, sessionID: sessionID, ip: ip,
                             detail: detail)
    }
}

/// A row of `login_failures`.
struct LoginFailureRow: StoreRow {
    static let databaseTableName = "login_failures"

    var id: Int64?
    var at: Date
    var emailKey: String
    var ip: String?

    enum CodingKeys: String, CodingKey {
        case id, at, ip
        case emailKey = "email_key"
    }

    enum Columns {
        static let at = Column(CodingKeys.at)
        static let emailKey = Column(CodingKeys.emailKey)
        static let ip = Column(CodingKeys.ip)
    }
}

/// A row of `user_two_factor`.
struct TwoFactorRow: StoreRow {
    static let databaseTableName = "user_two_factor"

    var userName: String
    var sealedSecret: String
    var createdAt: Date
    var confirmedAt: Date?
    var lastStep: Int64?

    enum CodingKeys: String, CodingKey {
        case userName = "user_name"
        case sealedSecret = "sealed_secret"
        case createdAt = "created_at"
        case confirmedAt = "confirmed_at"
        case lastStep = "last_step"
    }
}

/// A row of `recovery_codes`.
struct RecoveryCodeRow: StoreRow {
    static let databaseTableName = "recovery_codes"

    var codeHash: String
    var userName: String
    var createdAt: Date
    var usedAt: Date?

    enum CodingKeys: String, CodingKey {
        case codeHash = "code_hash"
        case userName = "user_name"
        case createdAt = "created_at"
        case usedAt = "used_at"
    }

    enum Columns {
        static let userName = Column(CodingKeys.userName)
    }
}

/// A row of `mail_outbox` (see `StoreMigrations.v9Mail`).
struct MailOutboxRow: StoreRow {
    static let databaseTableName = "mail_outbox"

    var id: Int64?
    var kind: String
    var recipient: String
    var userName: String?
    var eventID: Int64?
    var sealedSecret: String?
    var createdAt: Date
    var expiresAt: Date?
    var attempts: Int
    var nextAttemptAt: Date
    var claimedUntil: Date?
    var deliveredAt: Date?
    var failedAt: Date?
    var lastError: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, recipient, attempts
        case userName = "user_name"
        case eventID = "event_id"
        case sealedSecret = "sealed_secret"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case nextAttemptAt = "next_attempt_at"
        case claimedUntil = "claimed_until"
        case deliveredAt = "delivered_at"
        case failedAt = "failed_at"
        case lastError = "last_error"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
        static let claimedUntil = Column(CodingKeys.claimedUntil)
        static let deliveredAt = Column(CodingKeys.deliveredAt)
        static let failedAt = Column(CodingKeys.failedAt)
        static let userName = Column(CodingKeys.userName)
        static let sealedSecret = Column(CodingKeys.sealedSecret)
    }

}
