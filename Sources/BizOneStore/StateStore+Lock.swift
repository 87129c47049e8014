import BizOneModel
import Foundation
import GRDB

extension StateStore {
    /// How often a waiting `acquireLock` looks again.
    static let lockPollInterval: TimeInterval = 0.2

    /// Takes the single-writer lock, or throws `.locked` naming the holder.
    ///
    /// With `timeout > 0` it polls until the lock frees or the timeout passes. Acquiring again
    /// with the id that already holds the lock returns the existing lock, so a retry is safe.
    /// `now` and `sleep` are the clock of the wait (tests pass a manual one).
    @discardableResult
    public func acquireLock(_ request: LockRequest, timeout: Double = 0, now: () -> Date = { Date() },
                            sleep: (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }) throws -> LockInfo {
        let deadline = now().addingTimeInterval(max(0, timeout))
        while true {
            do {
                return try tryAcquireLock(request)
            } catch StoreError.locked(let holder) {
                let remaining = deadline.timeIntervalSince(now())
                guard remaining > 0 else { throw StoreError.locked(holder) }
                sleep(min(Self.lockPollInterval, remaining))
            }
        }
    }

    /// Releases the lock if `id` holds it; returns whether it did. Never touches another holder's lock.
    @discardableResult
    public func releaseLock(id: String) throws -> Bool {
        try write { db in
            guard let row = try LockRow.current(db), row.lockID == id else { return false }
            return try row.delete(db)
        }
    }

    /// Breaks a stale lock. The id must be the holder's, so an operator cannot break a lock
    /// they have not looked at.
    public func forceUnlock(id: String) throws {
        try write { db in
            guard let row = try LockRow.current(db) else { throw StoreError.noLock }
            guard row.lockID == id else { throw StoreError.lockMismatch(held: row.info) }
            try row.delete(db)
        }
    }

    public func currentLock() throws -> LockInfo? {
        try read { db in try LockRow.current(db)?.info }
    }

    private func tryAcquireLock(_ request: LockRequest) throws -> LockInfo {
        try write { db in
            if let row = try LockRow.current(db) {
                guard row.lockID == request.id else { throw StoreError.locked(row.info) }
                return row.info
            }
            // Whole seconds: what the ISO column keeps, so the returned lock equals a later read.
            let row = LockRow(request, at: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
            try row.insert(db)
            return row.info
        }
    }
}
