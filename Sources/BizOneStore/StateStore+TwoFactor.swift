import BizOneModel
import Foundation
import GRDB

/// TOTP 2FA state (see `StoreMigrations.v8Accounts`): the secret arrives sealed and recovery
/// codes as hashes; the store never sees either in clear.
extension StateStore {
    public func twoFactor(userName: String) throws -> TwoFactorRecord? {
        try read { db in
            try TwoFactorRow.fetchOne(db, key: userName).map {
                TwoFactorRecord(sealedSecret: $0.sealedSecret, confirmed: $0.confirmedAt != nil, lastStep: $0.lastStep)
            }
        }
    }

    /// Starts (or restarts) enrolment with a new sealed secret; false when 2FA is already on
    /// (turn it off first).
    public func beginTwoFactor(userName: String, sealedSecret: String, at: Date) throws -> Bool {
        try write { db in
            if let existing = try TwoFactorRow.fetchOne(db, key: userName), existing.confirmedAt != nil { return false }
            try TwoFactorRow(userName: userName, sealedSecret: sealedSecret, createdAt: at).save(db)
            return true
        }
    }

    /// Turns a pending enrolment on after a good code of `step`, with its recovery codes.
    public func confirmTwoFactor(userName: String, step: Int64, recoveryHashes: [String], at: Date, event: SecurityEvent) throws -> Bool {
        try write { db in
            guard var row = try TwoFactorRow.fetchOne(db, key: userName), row.confirmedAt == nil else { return false }
            row.confirmedAt = at
            row.lastStep = step
            try row.update(db)
            try RecoveryCodeRow.filter(RecoveryCodeRow.Columns.userName == userName).deleteAll(db)
            for hash in recoveryHashes { try RecoveryCodeRow(codeHash: hash, userName: userName, createdAt: at).insert(db) }
            try Self.record(event, db)
            return true
        }
    }

    /// Accepts a TOTP time step once: true only when it is later than the last accepted one.
    public func useTwoFactorStep(userName: String, step: Int64) throws -> Bool {
        try write { db in
            guard var row = try TwoFactorRow.fetchOne(db, key: userName), row.confirmedAt != nil, step > (row.lastStep ?? .min)
            else { return false }
            row.lastStep = step
            try row.update(db)
            return true
        }
    }

    /// Spends a recovery code (its hash) of `userName`; false when unknown or already used.
    public func useRecoveryCode(userName: String, hash: String, at: Date, event: SecurityEvent) throws -> Bool {
        try write { db in
            guard var code = try RecoveryCodeRow.fetchOne(db, key: hash), code.userName == userName, code.usedAt == nil else { return false }
            code.usedAt = at
            try code.update(db)
            try Self.record(event, db)
            return true
        }
    }

    /// Recovery codes not yet used.
    public func unusedRecoveryCodes(userName: String) throws -> Int {
        try read { db in
            try RecoveryCodeRow.filter(RecoveryCodeRow.Columns.userName == userName && Column("used_at") == nil).fetchCount(db)
        }
    }

    /// Turns 2FA off: the secret and every recovery code go.
    public func disableTwoFactor(userName: String, event: SecurityEvent) throws {
        try write { db in
            _ = try TwoFactorRow.deleteOne(db, key: userName)
            try RecoveryCodeRow.filter(RecoveryCodeRow.Columns.userName == userName).deleteAll(db)
            try Self.record(event, db)
        }
    }
}
