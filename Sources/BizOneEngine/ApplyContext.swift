import Foundation

/// Per-run bookkeeping: the change sequence (one change may write two rows, e.g. a rename) and
/// the creations Meta accepted in the last hour.
struct ApplyContext {
    let runID: String
    let revision: String?
    var recentCreates: [Date]
    private var sequence = 0

    init(runID: String, revision: String?, recentCreates: [Date]) {
        self.runID = runID
        self.revision = revision
        self.recentCreates = recentCreates
    }

    mutating func nextSequence() -> Int {
        sequence += 1
        return sequence
    }
}
