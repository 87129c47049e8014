import Foundation
import GRDB

/// A row of `apply_runs`.
struct ApplyRunRow: StoreRow {
    static let databaseTableName = "apply_runs"

    var id: String
    var revision: String?
    var actor: String
    var startedAt: Date
    var finishedAt: Date?
    var outcome: String
    var planSerial: Int
    var resultSerial: Int?

    enum CodingKeys: String, CodingKey {
        case id, revision, actor, outcome
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case planSerial = "plan_serial"
        case resultSerial = "result_serial"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let startedAt = Column(CodingKeys.startedAt)
    }

    init(_ start: ApplyRunStart) {
        id = start.id
        revision = start.revision
        actor = start.actor
        startedAt = start.startedAt
        finishedAt = nil
        outcome = ApplyRunRecord.running
        planSerial = start.planSerial
        resultSerial = nil
    }

    var record: ApplyRunRecord {
        ApplyRunRecord(id: id, revision: revision, actor: actor, startedAt: startedAt, finishedAt: finishedAt,
                       outcome: outcome, planSerial: planSerial, resultSerial: resultSerial)
    }

    /// Newest first; rowid breaks ties between runs started within the same second.
    static func newestFirst() -> QueryInterfaceRequest<ApplyRunRow> {
        ApplyRunRow.order(Columns.startedAt.desc, Column.rowID.desc)
    }
}
