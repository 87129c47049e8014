/// A sent message and its statuses, for `/_emulator/messages`.
public struct MessageSnapshot: Sendable, Codable, Hashable {
    public var id: String
    public var to: String
    public var waID: String
    public var userID: String?
    public var type: String
    public var text: String?
    public var template: String?
    public var language: String?
    public var category: String
    public var callbackData: String?
    public var acceptedAt: Double
    /// The latest status (`accepted` until the first webhook).
    public var status: String
    public var statuses: [MessageStatusEntry]
    public var errorCode: Int?

    init(_ record: MessageRecord) {
        id = record.id
        to = record.recipient.input
        waID = record.recipient.waID
        userID = record.recipient.userID
        type = record.type
        text = record.text
        template = record.templateName
        language = record.templateLanguage
        category = record.category
        callbackData = record.callbackData
        acceptedAt = record.acceptedAt
        status = record.statuses.last?.status ?? "accepted"
        statuses = record.statuses
        errorCode = record.statuses.compactMap(\.errorCode).last
    }
}
