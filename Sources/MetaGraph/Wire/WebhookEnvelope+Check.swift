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
        switch parse(body) {
        case .success(let value): return check(value)
        case .failure(let rejected): return rejected.verdict
        }
    }

    /// The body parsed, or the rejection of a body that is not JSON: the server parses once and
    /// gives the tree to `check(_: JSONValue)` and to the decoder.
    public static func parse(_ body: Data) -> Result<JSONValue, Rejected> {
        do {
            return .success(try JSONValue.parse(body))
        } catch {
            return .failure(Rejected(reason: "body is not valid JSON (\(error))"))
        }
    }

    /// A rejection as a value `Result` can carry.
    public struct Rejected: Error, Sendable {
        public var reason: String
        public var verdict: Verdict { .rejected(reason) }
    }

    /// The shape check on a parsed body.
    public static func check(_ value: JSONValue) -> Verdict {
        guard let object = value.objectValue else { return .rejected("body is not a JSON object") }
        guard object["object"]?.stringValue != nil else { return .rejected("missing string field \"object\"") }
        guard case .array = object["entry"] else { return .rejected("missing array field \"entry\"") }
        return .envelope
    }
}
