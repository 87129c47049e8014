import BizOneModel
import Foundation
import GRDB

/// The security e-mail outbox (see `StoreMigrations.v9Mail`): queued with the event it is
/// about, claimed by one server at a time, delivered or retried by `serve`.
extension StateStore {
    /// Records a security event and, when it is one that mails its owner
    /// (`SecurityMailKind(event:)`) and `mail` is true, queues that e-mail in the same
    /// transaction. Only an event of a known account mails (a lockout of an e-mail nobody
    /// has mails no one).
    static func record(_ event: SecurityEvent, mail: Bool = true, sealedSecret: String? = nil, expiresAt: Date? = nil,
                       _ db: Database) throws {
        try SecurityEventRow(event).insert(db)
        let eventID = db.lastInsertedRowID
        guard mail, let kind = SecurityMailKind(event: event.kind), let userName = event.userName,
              let recipient = try UserRow.fetchOne(db, key: userName)?.email ?? event.email else { return }
        try MailOutboxRow(kind: kind.rawValue, recipient: recipient, userName: userName, eventID: eventID, sealedSecret: sealedSecret,
                          createdAt: event.at, expiresAt: expiresAt, attempts: 0, nextAttemptAt: event.at).insert(db)
    }

    /// Forgot-password: when `email` is a declared, enabled user's, issues the reset token
    /// (its hash; earlier reset tokens stop working) and queues the e-mail carrying it
    /// (sealed). Returns false, changing nothing, for an unknown or disabled e-mail and when
    /// the user was sent one less than `cooldown` ago (nobody can flood a mailbox with them).
    public func requestPasswordReset(email: String, tokenHash: String, sealedToken: String, at: Date, expiresAt: Date,
                                     cooldown: TimeInterval = 60, ip: String?) throws -> Bool {
        try write { db in
            guard let user = try UserRow.filter(sql: "lower(email) = lower(?)", arguments: [email]).fetchOne(db), !user.disabled
            else { return false }
            let recent = try SecurityEventRow.filter(SecurityEventRow.Columns.userName == user.name
                                                     && SecurityEventRow.Columns.kind == SecurityEventKind.passwordResetRequested.rawValue
                                                     && SecurityEventRow.Columns.at > Timestamps.format(at - cooldown)).fetchCount(db)
            guard recent == 0 else { return false }
            try UserTokenRow.filter(UserTokenRow.Columns.userName == user.name && UserTokenRow.Columns.purpose == UserTokenPurpose.reset.rawValue
                                    && UserTokenRow.Columns.usedAt == nil)
                .updateAll(db, UserTokenRow.Columns.usedAt.set(to: Timestamps.format(at)))
            try UserTokenRow(tokenHash: tokenHash, userName: user.name, purpose: UserTokenPurpose.reset.rawValue, createdAt: at,
                             expiresAt: expiresAt).insert(db)
            try Self.record(SecurityEvent(at: at, kind: .passwordResetRequested, userName: user.name, email: user.email, ip: ip,
                                          detail: "reset link e-mailed"),
                            sealedSecret: sealedToken, expiresAt: expiresAt, db)
            return true
        }
    }

    /// Takes up to `limit` mails due now for delivery, holding each until `at + lease` (no
    /// other server takes it meanwhile). Mails past their expiry are given up instead.
    public func claimMails(at: Date, lease: TimeInterval, limit: Int) throws -> [OutboxMail] {
        try write { db in
            let stamp = Timestamps.format(at)
            let due = try MailOutboxRow
                .filter(MailOutboxRow.Columns.deliveredAt == nil && MailOutboxRow.Columns.failedAt == nil
                        && MailOutboxRow.Columns.nextAttemptAt <= stamp
                        && (MailOutboxRow.Columns.claimedUntil == nil || MailOutboxRow.Columns.claimedUntil <= stamp))
                .order(MailOutboxRow.Columns.id).limit(max(1, limit)).fetchAll(db)
            var claimed: [OutboxMail] = []
            for var row in due {
                guard let id = row.id else { continue }
                if let expiry = row.expiresAt, expiry <= at {
                    row.failedAt = at
                    row.sealedSecret = nil
                    row.lastError = "expired before it could be delivered"
                    try row.update(db)
                    continue
                }
                row.claimedUntil = at + lease
                try row.update(db)
                guard let kind = SecurityMailKind(rawValue: row.kind) else {
                    // Written by a newer version: left for it.
                    continue
                }
                let user = try row.userName.flatMap { try UserRow.fetchOne(db, key: $0) }.map { try Self.user($0, db) }
                let event = try row.eventID.flatMap { try SecurityEventRow.fetchOne(db, key: $0) }?.event
                claimed.append(OutboxMail(id: id, kind: kind, recipient: row.recipient, user: user, event: event,
                                          sealedSecret: row.sealedSecret, attempts: row.attempts, createdAt: row.createdAt))
            }
            return claimed
        }
    }

    /// Records one delivery attempt of a claimed mail: delivered (`error` nil), or failed and
    /// scheduled again by `retry`, or given up. Returns when it is tried next (nil: done).
    @discardableResult
    public func finishMail(id: Int64, at: Date, error: String?, retry: MailRetry) throws -> Date? {
        try write { db in
            guard var row = try MailOutboxRow.fetchOne(db, key: id), row.deliveredAt == nil, row.failedAt == nil else { return nil }
            row.attempts = row.attempts < Int.max ? row.attempts + 1 : row.attempts
            row.claimedUntil = nil
            guard let error else {
                row.deliveredAt = at
                row.sealedSecret = nil
                row.lastError = nil
                try row.update(db)
                return nil
            }
            row.lastError = String(error.prefix(500))
            if let delay = retry.delay(afterAttempts: row.attempts) {
                row.nextAttemptAt = at + delay
                try row.update(db)
                return row.nextAttemptAt
            }
            row.failedAt = at
            row.sealedSecret = nil
            try row.update(db)
            return nil
        }
    }

    /// When the next queued mail is due (nil: none queued).
    public func nextMailDue() throws -> Date? {
        try read { db in
            try MailOutboxRow.filter(MailOutboxRow.Columns.deliveredAt == nil && MailOutboxRow.Columns.failedAt == nil)
                .order(MailOutboxRow.Columns.nextAttemptAt).fetchOne(db)
                .map { max($0.nextAttemptAt, $0.claimedUntil ?? $0.nextAttemptAt) }
        }
    }

    public func mailOutboxCounts() throws -> MailOutboxCounts {
        try read { db in
            let queued = try MailOutboxRow.filter(MailOutboxRow.Columns.deliveredAt == nil && MailOutboxRow.Columns.failedAt == nil).fetchCount(db)
            let delivered = try MailOutboxRow.filter(MailOutboxRow.Columns.deliveredAt != nil).fetchCount(db)
            let failed = try MailOutboxRow.filter(MailOutboxRow.Columns.failedAt != nil).fetchCount(db)
            let lastError = try MailOutboxRow.filter(MailOutboxRow.Columns.deliveredAt == nil).filter(sql: "last_error IS NOT NULL")
                .order(MailOutboxRow.Columns.id.desc).fetchOne(db)?.lastError
            return MailOutboxCounts(queued: queued, delivered: delivered, failed: failed, lastError: lastError)
        }
    }

    /// The applied Mailer (the first by name; the loader allows one), if its spec reads back.
    public func appliedMailer() throws -> (name: String, spec: MailerSpec)? {
        for record in try appliedResources(of: [.mailer]).sorted(by: { $0.id.name < $1.id.name }) {
            if let spec = try? record.content["spec"]?.decode(MailerSpec.self) { return (record.id.name, spec) }
        }
        return nil
    }
}
