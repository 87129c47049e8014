import BizOneModel

/// A wire value plus keys its wire type has no field for (`disable_info`,
/// `message_send_ttl_seconds`, ...), encoded into the same JSON object.
struct Augmented<Base: Encodable & Sendable>: Encodable, Sendable {
    var base: Base
    var extras: [String: JSONValue]

    init(_ base: Base, extras: [String: JSONValue] = [:]) {
        self.base = base
        self.extras = extras
    }

    func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        guard !extras.isEmpty else { return }
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        for key in extras.keys.sorted() {
            try container.encode(extras[key], forKey: AnyCodingKey(key))
        }
    }
}

struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
