import MetaGraph

/// Small answers of the WABA node and its setup edges (`GET /{waba-id}`, `/phone_numbers`,
/// `/subscribed_apps`), which BizOne does not otherwise use.
struct BusinessAccountInfo: Encodable, Sendable {
    var id: String
    var name: String
    var currency = "USD"
    var timezoneID = "1"
    var messageTemplateNamespace = "bizone_emulator_namespace"

    enum CodingKeys: String, CodingKey {
        case id, name, currency
        case timezoneID = "timezone_id"
        case messageTemplateNamespace = "message_template_namespace"
    }
}

struct PhoneNumberList: Encodable, Sendable {
    var data: [Augmented<PhoneNumberInfo>]
}

struct SubscribedApps: Encodable, Sendable {
    struct App: Encodable, Sendable {
        struct Data: Encodable, Sendable {
            var id = "1"
            var name = "BizOne"
            var link = "https://github.com/bizone"
        }

        var whatsappBusinessAPIData = Data()

        enum CodingKeys: String, CodingKey { case whatsappBusinessAPIData = "whatsapp_business_api_data" }
    }

    var data = [App()]
}
