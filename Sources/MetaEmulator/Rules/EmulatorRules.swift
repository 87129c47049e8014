import Foundation
import Yams

/// The emulator's rules file, YAML or JSON (JSON is read as YAML).
///
/// Review rules decide what happens to a template after `timing.reviewDelay`: the first rule
/// whose every given matcher matches wins; without a match the template is approved. Built in,
/// before any rule: adjacent variables (`{{1}}{{2}}`) are rejected as `INVALID_FORMAT`, as Meta does.
/// Recipient rules decide what happens to accepted sends, by a regex on the recipient (`to` as
/// sent, its digits, or a BSUID): fail asynchronously with a Meta error code, fail synchronously,
/// skip `delivered`, or never report `read`. `limits`, `timing` and `webhook` override the
/// configuration. Regexes are searched, not anchored: add `^`/`$` yourself.
///
/// ```yaml
/// review:
///   - name: "^promo_"              # template name regex
///     body: "(?i)free money"       # body text regex
///     verdict: reject              # approve | reject
///     reason: SCAM                 # INVALID_FORMAT, TAG_CONTENT_MISMATCH, PROMOTIONAL, ABUSIVE_CONTENT, SCAM, INCORRECT_CATEGORY
///   - name: "^needs_fix_"
///     verdict: reject
///     reason: INVALID_FORMAT       # INVALID_FORMAT also sends rejection_info
///     rejectionReason: "Your template has a formatting problem."
///     recommendation: "Separate parameters with descriptive text."
///   - category: UTILITY
///     body: "(?i)discount|offer"
///     verdict: approve
///     recategorize: MARKETING      # approved as MARKETING, sends template_category_update
///   - name: "^instant_"
///     immediate: true              # verdict already in the create response
///   - language: de
///     delay: 5                     # this rule's own review delay, seconds
/// recipients:
///   - match: "^\\+?15550000001$"
///     fail: 131026                 # async `failed` status with Meta's error object
///   - match: "^\\+?15550000002$"
///     fail: 131050
///     synchronous: true            # refused in the send response instead
///   - match: "^\\+?1555000001"
///     skipDelivered: true          # sent -> read
///   - match: "^\\+?1555000002"
///     neverRead: true              # sent -> delivered
/// limits: { messagesPerSecond: 20, pairBurst: 45, pairInterval: 6, templateCreatesPerHour: 100,
///           editsPer24h: 1, editsPer30d: 10, templatesPerAccount: 250 }
/// timing: { reviewDelay: 0.2, sentDelay: 0.05, deliveredDelay: 0.1, readDelay: 0.2,
///           webhookRetryBase: 0.5, webhookMaxAttempts: 8 }
/// webhook: { duplicate: false, reorder: 0, delay: 0 }
/// ```
public struct EmulatorRules: Sendable, Decodable {
    public var review: [ReviewRule]
    public var recipients: [RecipientRule]
    public var limits: EmulatorLimits.Overrides?
    public var timing: EmulatorTiming.Overrides?
    public var webhook: WebhookBehaviour?

    public init(review: [ReviewRule] = [], recipients: [RecipientRule] = [], limits: EmulatorLimits.Overrides? = nil,
                timing: EmulatorTiming.Overrides? = nil, webhook: WebhookBehaviour? = nil) {
        self.review = review
        self.recipients = recipients
        self.limits = limits
        self.timing = timing
        self.webhook = webhook
    }

    enum CodingKeys: String, CodingKey {
        case review, recipients, limits, timing, webhook
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        review = try container.decodeIfPresent([ReviewRule].self, forKey: .review) ?? []
        recipients = try container.decodeIfPresent([RecipientRule].self, forKey: .recipients) ?? []
        limits = try container.decodeIfPresent(EmulatorLimits.Overrides.self, forKey: .limits)
        timing = try container.decodeIfPresent(EmulatorTiming.Overrides.self, forKey: .timing)
        webhook = try container.decodeIfPresent(WebhookBehaviour.self, forKey: .webhook)
    }

    /// Reads a rules file (`.yaml`, `.yml` or `.json`).
    public static func load(path: String) throws -> EmulatorRules {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw EmulatorRulesError(path: path, message: "cannot read the file: \(error.localizedDescription)")
        }
        do {
            return try parse(text)
        } catch let error as EmulatorRulesError {
            throw EmulatorRulesError(path: path, message: error.message)
        }
    }

    /// Parses rules from YAML or JSON text.
    public static func parse(_ text: String) throws -> EmulatorRules {
        if text.allSatisfy(\.isWhitespace) { return EmulatorRules() }
        do {
            return try YAMLDecoder().decode(EmulatorRules.self, from: text)
        } catch let error as EmulatorRulesError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            throw EmulatorRulesError(path: nil, message: describe(context))
        } catch let DecodingError.keyNotFound(key, context) {
            throw EmulatorRulesError(path: nil, message: "missing `\(key.stringValue)` at \(pathText(context.codingPath))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw EmulatorRulesError(path: nil, message: describe(context))
        } catch let DecodingError.valueNotFound(_, context) {
            throw EmulatorRulesError(path: nil, message: describe(context))
        } catch {
            throw EmulatorRulesError(path: nil, message: "\(error)")
        }
    }

    private static func describe(_ context: DecodingError.Context) -> String {
        let underlying = (context.underlyingError as? EmulatorRulesError)?.message
        return "\(underlying ?? context.debugDescription) at \(pathText(context.codingPath))"
    }

    private static func pathText(_ path: [any CodingKey]) -> String {
        let text = path.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
    }
}

/// A rules file that cannot be used, with the reason.
public struct EmulatorRulesError: Error, CustomStringConvertible, Sendable {
    public var path: String?
    public var message: String

    public var description: String { path.map { "\($0): \(message)" } ?? message }
}
