import BizOneModel
import Foundation
import GRDB

/// Everything the store can refuse, in words an operator can act on. SQLite errors are
/// translated here so no caller ever needs to know GRDB or SQL.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// Another writer holds the state lock.
    case locked(LockInfo)
    /// `forceUnlock` found no lock to break.
    case noLock
    /// `forceUnlock` named an id that is not the current holder's.
    case lockMismatch(held: LockInfo)
    /// There is no state file at the path (a reading command never creates one).
    case noState(String)
    /// The file is not a BizOne state database, or a row cannot be read back.
    case corrupt(String)
    /// The file was migrated by a newer bizone than this one.
    case unsupportedSchema(String)
    /// A plan change that cannot be applied as given (missing `after`, undecodable spec, pending).
    case invalidChange(String)
    /// An apply run id that `beginApplyRun` never recorded.
    case unknownRun(String)
    /// The change contradicts what is stored (a user's role is missing, an email is taken).
    case conflict(String)
    /// Another connection kept the database busy past the 5 s timeout.
    case busy(String)
    /// Any other SQLite failure.
    case database(String)

    public var description: String {
        switch self {
        case .locked(let lock):
            return "state is locked by \(lock.id) (\(lock.operation) by \(lock.who), pid \(lock.pid) on \(lock.host), "
                + "since \(Timestamps.format(lock.createdAt))); if that process is gone, break the stale lock with "
                + "`bizone state unlock \(lock.id)`"
        case .noLock:
            return "state is not locked; there is nothing to unlock"
        case .lockMismatch(let held):
            return "lock id does not match: state is locked by \(held.id) (\(held.operation) by \(held.who), pid \(held.pid) "
                + "on \(held.host), since \(Timestamps.format(held.createdAt))); to break it run `bizone state unlock \(held.id)`"
        case .noState(let path):
            return "no state at \(path): nothing has been applied with this state file (check --state or BIZONE_STATE)"
        case .corrupt(let detail):
            return "state file is unreadable: \(detail)"
        case .unsupportedSchema(let detail):
            return "state file was written by a newer bizone: \(detail)"
        case .invalidChange(let detail):
            return "cannot apply change: \(detail)"
        case .unknownRun(let id):
            return "no apply run \(id) in state"
        case .conflict(let detail):
            return detail
        case .busy(let detail):
            return "state database is busy (another process is writing): \(detail)"
        case .database(let detail):
            return "state database error: \(detail)"
        }
    }

    /// Runs `body`, turning GRDB and SQLite errors into `StoreError`s.
    static func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(error)
        } catch let error as RowDecodingError {
            throw StoreError.corrupt("\(error)")
        } catch let error as DecodingError {
            throw StoreError.corrupt("\(error)")
        }
    }

    init(_ error: DatabaseError) {
        let detail = error.message ?? "\(error)"
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: self = .corrupt(detail)
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(detail)
        case .SQLITE_CONSTRAINT: self = .conflict("state constraint violated: \(detail)")
        default: self = .database(detail)
        }
    }
}
