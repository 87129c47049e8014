import BizOneModel
import Foundation

/// Decides whether a signed body is a webhook envelope (reference §12).
///
/// A body is accepted when it has the envelope's shape: a JSON object with a string `object`
/// and an `entry` array. Meta adds fields and kinds over time and §12 asks to acknowledge
/// well-signed payloads we do not understand; the raw bytes are kept for the processor (which
/// decodes them fully) and for replay. Only the shape is checked here, with the fast parser,
/// because this runs before the 200. Anything else, malformed or hostile JSON included (deep
/// nesting, broken surrogates), is rejected with a reason and never traps.
extension WebhookEnvelope {
    public enum Verdict: Equatable, Sendable {
        case envelope
        case rejected(String)
    }

    public static func check(_ body: Data) -> Verdict {
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
