import BizOneModel
import MetaGraph

/// The WABA envelope around a value the wire `WebhookValue` cannot carry whole (a raw inbound
/// message, `disable_info`). Same shape as `WebhookEnvelope`, which still decodes it.
struct WebhookEnvelopeOf<Value: Encodable & Sendable>: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        var id: String
        var time: Int?
        var changes: [Change]
    }

    struct Change: Encodable, Sendable {
        var value: Value
        var field: String
    }

    var object = "whatsapp_business_account"
    var entry: [Entry]

    init(businessAccountID: String, time: Int?, field: String, value: Value) {
        entry = [Entry(id: businessAccountID, time: time, changes: [Change(value: value, field: field)])]
    }
}

/// A `messages` value holding raw inbound message objects (any type, fields kept as given).
struct InboundMessagesValue: Encodable, Sendable {
    var messagingProduct = "whatsapp"
    var metadata: WebhookMetadata
    var contacts: [WebhookContact]
    var messages: [JSONValue]

    enum CodingKeys: String, CodingKey {
        case metadata, contacts, messages
        case messagingProduct = "messaging_product"
    }
}
