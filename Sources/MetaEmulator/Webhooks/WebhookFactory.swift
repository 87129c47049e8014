import BizOneModel
import Foundation
import MetaGraph

/// Builds webhook bodies exactly once, as the bytes that will be signed and sent (reference §8,
/// §12-§14): `MetaJSON` (ASCII-escaped, like Meta).
struct WebhookFactory: Sendable {
    let businessAccountID: String
    let phoneNumberID: String
    /// `metadata.display_phone_number`: digits only.
    let displayDigits: String

    var metadata: WebhookMetadata { WebhookMetadata(displayPhoneNumber: displayDigits, phoneNumberID: phoneNumberID) }

    func templateEnvelope(_ value: WebhookValue, field: String, time: Int) throws -> Data {
        try MetaJSON.encode(WebhookEnvelope(entry: [WebhookEntry(id: businessAccountID, time: time,
                                                                 changes: [WebhookChange(field: field, value: value)])]))
    }

    func templateValue(_ record: TemplateRecord) -> WebhookValue {
        var value = WebhookValue()
        value.messageTemplateID = FlexibleID(record.id, isNumber: true)
        value.messageTemplateName = record.name
        value.messageTemplateLanguage = record.language
        return value
    }

    /// `message_template_status_update`.
    func templateStatus(_ record: TemplateRecord, event: String, reason: String?, rejection: WebhookValue.RejectionInfo? = nil,
                        otherInfo: WebhookValue.OtherInfo? = nil, disableDate: Int? = nil, time: Int) throws -> Data {
        var value = templateValue(record)
        value.event = event
        value.reason = reason
        value.messageTemplateCategory = record.category
        value.rejectionInfo = rejection
        value.otherInfo = otherInfo
        guard let disableDate else { return try templateEnvelope(value, field: "message_template_status_update", time: time) }
        let augmented = Augmented(value, extras: ["disable_info": .object(["disable_date": .int(disableDate)])])
        return try MetaJSON.encode(WebhookEnvelopeOf(businessAccountID: businessAccountID, time: time,
                                                     field: "message_template_status_update", value: augmented))
    }

    /// `template_category_update`, completed shape.
    func categoryUpdate(_ record: TemplateRecord, previous: String, new: String, time: Int) throws -> Data {
        var value = templateValue(record)
        value.previousCategory = previous
        value.newCategory = new
        return try templateEnvelope(value, field: "template_category_update", time: time)
    }

    /// `message_template_quality_update`.
    func qualityUpdate(_ record: TemplateRecord, previous: String, new: String, time: Int) throws -> Data {
        var value = templateValue(record)
        value.previousQualityScore = previous
        value.newQualityScore = new
        return try templateEnvelope(value, field: "message_template_quality_update", time: time)
    }

    /// A `messages` change with statuses.
    func statuses(_ statuses: [MessageStatus]) throws -> Data {
        var value = WebhookValue()
        value.messagingProduct = "whatsapp"
        value.metadata = metadata
        value.statuses = statuses
        return try MetaJSON.encode(WebhookEnvelope(entry: [WebhookEntry(id: businessAccountID,
                                                                        changes: [WebhookChange(field: "messages", value: value)])]))
    }

    /// A `messages` change with one inbound message (raw object) and its contact.
    func inbound(contact: WebhookContact, message: JSONValue) throws -> Data {
        let value = InboundMessagesValue(metadata: metadata, contacts: [contact], messages: [message])
        return try MetaJSON.encode(WebhookEnvelopeOf(businessAccountID: businessAccountID, time: nil, field: "messages", value: value))
    }
}
