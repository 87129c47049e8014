import BizOneModel
import Foundation
import GRDB

/// A row of the ledger, `messages`, as `Ledger.columns` selects it.
struct MessageRow: StoreReadRow {
    static let keyColumns = ["wamid"]

    var wamid: String
    var recipientID: String?
    var recipientUserID: String?
    var status: String
    var statusRank: Int
    var statusAt: String?
    var callbackData: String?
    var errorCode: Int?
    var errorTitle: String?
    var errorDetails: String?
    var pricingCategory: String?
    var createdAt: String
    var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case wamid, status
        case recipientID = "recipient_id"
        case recipientUserID = "recipient_user_id"
        case statusRank = "status_rank"
        case statusAt = "status_at"
        case callbackData = "callback_data"
        case errorCode = "error_code"
        case errorTitle = "error_title"
        case errorDetails = "error_details"
        case pricingCategory = "pricing_category"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func record() throws -> MessageRecord {
        MessageRecord(
            wamid: wamid, recipientID: recipientID, recipientUserID: recipientUserID, status: status, statusRank: statusRank,
            statusAt: statusAt.flatMap(Timestamps.parse), callbackData: callbackData, errorCode: errorCode, errorTitle: errorTitle,
            errorDetails: errorDetails, pricingCategory: pricingCategory, createdAt: try date(createdAt), updatedAt: try date(updatedAt))
    }

    private func date(_ text: String) throws -> Date {
        guard let date = Timestamps.parse(text) else { throw StoreError.corrupt("message \(wamid) has an unreadable time \(text)") }
        return date
    }
}
