import BizOneModel
import Foundation
import GRDB

/// Who sends for a phone number (`sender_leases`): one process at a time, so two campaigns,
/// or `serve` and a foreground run, never exceed the number's rate together.
extension StateStore {
    /// Takes or renews the lease on `phoneNumberID` for `holder` until `until`. Free, expired
    /// (before `now`), already `holder`'s, or held by `replacing` (a holder the caller knows is
    /// dead) all succeed; otherwise `.held` names the holder. One statement, so two processes
    /// racing for a free number cannot both win.
    public func acquireSenderLease(phoneNumberID: String, holder: String, until: Date, now: Date,
                                   replacing: String? = nil) throws -> SenderLease {
        try write { db in
            try db.cachedStatement(sql: """
                INSERT INTO sender_leases (phone_number_id, holder, acquired_at, expires_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (phone_number_id) DO UPDATE SET
                  acquired_at = CASE WHEN sender_leases.holder = excluded.holder THEN sender_leases.acquired_at
                                     ELSE excluded.acquired_at END,
                  holder = excluded.holder, expires_at = excluded.expires_at
                WHERE sender_leases.holder = excluded.holder OR sender_leases.expires_at < ?3 OR sender_leases.holder = ?5
                """).execute(arguments: [phoneNumberID, holder, Timestamps.format(now), Timestamps.format(until), replacing])
            if db.changesCount > 0 { return .acquired }
            guard let row = try SenderLeaseRow.fetchOne(db, key: phoneNumberID) else { return .acquired }
            return .held(by: row.holder, until: row.expiresAt)
        }
    }

    /// Gives the lease back if `holder` has it.
    public func releaseSenderLease(phoneNumberID: String, holder: String) throws {
        try write { db in
            _ = try SenderLeaseRow
                .filter(SenderLeaseRow.Columns.phoneNumberID == phoneNumberID && SenderLeaseRow.Columns.holder == holder)
                .deleteAll(db)
        }
    }

    /// The current holder of a number's lease and its expiry, if any (expired ones included).
    public func senderLease(phoneNumberID: String) throws -> (holder: String, until: Date)? {
        try read { db in
            try SenderLeaseRow.fetchOne(db, key: phoneNumberID).map { ($0.holder, $0.expiresAt) }
        }
    }
}

/// The answer to a sender-lease request.
public enum SenderLease: Sendable, Hashable {
    case acquired
    /// Another process sends for the number until `until` (unless it renews).
    case held(by: String, until: Date)
}
