import Foundation

/// Webhook bodies of the server's own tests; Meta's published payloads are `MetaFixtures`.
enum Fixtures {
    /// The compact text webhook of reference §11.2 (499 bytes) and its documented signature.
    static let compactText = Data(#"{"object":"whatsapp_business_account","entry":[{"id":"419561257915477","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]},"field":"messages"}]}]}"#.utf8)
    static let compactTextSignature = "sha256=4d06a49d1c3eb3d80fa2ff42ae26aa27937fbbb09f6aad10100f89e86261f4fa"

    /// A distinct valid text webhook per `index` (the wamid and text vary).
    static func textWebhook(_ index: Int) -> Data {
        Data(#"{"object":"whatsapp_business_account","entry":[{"id":"419561257915477","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.TEST\#(index)","timestamp":"1749416383","type":"text","text":{"body":"message \#(index)"}}]},"field":"messages"}]}]}"#.utf8)
    }
}
