import BizOneModel
import Foundation
import GRDB

/// A row of `message_transitions`.
struct MessageTransitionRow: StoreReadRow {
    static let keyColumns = ["wamid"]

    var status: String
    var at: String
    var late: Bool
    var eventID: Int64

    enum CodingKeys: String, CodingKey {
        case status, at, late
        case eventID = "event_id"
    }

    func transition(of wamid: String) throws -> MessageTransition {
        guard let date = Timestamps.parse(at) else {
            throw StoreError.corrupt("transition of \(wamid) has an unreadable time \(at)")
        }
        return MessageTransition(status: status, at: date, late: late, eventID: eventID)
    }
}
