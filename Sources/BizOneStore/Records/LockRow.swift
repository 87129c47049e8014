import Foundation
import GRDB

/// The single row of `state_lock` (slot 1): whoever holds it is the one writer.
struct LockRow: StoreRow {
    static let databaseTableName = "state_lock"
    static let slotValue = 1

    var slot: Int
    var lockID: String
    var operation: String
    var who: String
    var pid: Int
    var host: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case slot, operation, who, pid, host
        case lockID = "lock_id"
        case createdAt = "created_at"
    }

    init(_ request: LockRequest, at date: Date) {
        slot = Self.slotValue
        lockID = request.id
        operation = request.operation
        who = request.who
        pid = request.pid
        host = request.host
        createdAt = date
    }

    var info: LockInfo {
        LockInfo(id: lockID, operation: operation, who: who, pid: pid, host: host, createdAt: createdAt)
    }

    static func current(_ db: Database) throws -> LockRow? {
        try LockRow.fetchOne(db, key: slotValue)
    }
}
