import BizOneModel
import GRDB

/// A row of `apply_changes`: the outcome of one change of a run.
struct ApplyChangeRow: StoreRow {
    static let databaseTableName = "apply_changes"

    var runID: String
    var sequence: Int
    var resourceID: String
    var action: String
    var outcome: String
    var message: String?

    enum CodingKeys: String, CodingKey {
        case sequence, action, outcome, message
        case runID = "run_id"
        case resourceID = "resource_id"
    }

    enum Columns {
        static let runID = Column(CodingKeys.runID)
        static let sequence = Column(CodingKeys.sequence)
    }

    init(change: PlanChange, runID: String, sequence: Int, outcome: String, message: String?) {
        self.runID = runID
        self.sequence = sequence
        self.resourceID = change.id.description
        self.action = change.action.rawValue
        self.outcome = outcome
        self.message = message
    }

    func record() throws -> ApplyChangeRecord {
        guard let action = PlanAction(rawValue: action) else {
            throw StoreError.corrupt("apply change \(runID)#\(sequence) has unknown action \(action)")
        }
        return ApplyChangeRecord(runID: runID, sequence: sequence, resourceID: resourceID, action: action,
                                 outcome: outcome, message: message)
    }
}
