import BizOneModel
import Foundation
import MetaGraph

/// Decides whether a signed body is a webhook envelope (reference §12).
///
/// A body is accepted when it decodes as `WebhookEnvelope`. A body that does not decode fully
/// but still has the envelope's shape (a JSON object with a string `object` and an `entry`
/// array) is accepted too: Meta adds fields and kinds over time and §12 asks to acknowledge
/// well-signed payloads we do not understand; the raw bytes are kept for the processor and
/// for replay. Anything else is rejected with a reason.
enum EnvelopeCheck {
    enum Verdict: Equatable {
        case envelope
        case rejected(String)
    }

    static func check(_ body: Data) -> Verdict {
        if (try? JSONDecoder().decode(WebhookEnvelope.self, from: body)) != nil { return .envelope }
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            return .rejected("body is not valid JSON (\(error))")
        }
        guard let object = value.objectValue else { return .rejected("body is not a JSON object") }
        guard object["object"]?.stringValue != nil else { return .rejected("missing string field \"object\"") }
        guard case .array = object["entry"] else { return .rejected("missing array field \"entry\"") }
        return .envelope
    }
}
