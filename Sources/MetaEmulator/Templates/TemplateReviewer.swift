import BizOneModel
import MetaGraph

/// The review verdict for a template: Meta's built-in format check, then the rules in order,
/// then approval.
struct ReviewDecision: Sendable {
    enum Outcome: Sendable {
        case approve(category: String?)
        case reject(reason: String, info: WebhookValue.RejectionInfo?)
    }

    var outcome: Outcome
    var immediate: Bool
    var delay: Double
}

enum TemplateReviewer {
    static let adjacentReason = "Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them."
    static let adjacentRecommendation = "Separate parameters with descriptive text and ensure each parameter is clearly contextualized."
    static let defaultInvalidFormatReason = "Your template's format doesn't meet WhatsApp's requirements."
    static let defaultInvalidFormatRecommendation = "Review the template formatting guidelines, correct the template and resubmit it."

    static func decide(_ record: TemplateRecord, rules: [ReviewRule], defaultDelay: Double) -> ReviewDecision {
        if hasAdjacentVariables(record) {
            return ReviewDecision(outcome: .reject(reason: "INVALID_FORMAT",
                                                   info: .init(reason: adjacentReason, recommendation: adjacentRecommendation)),
                                  immediate: false, delay: defaultDelay)
        }
        for rule in rules where rule.matches(name: record.name, body: record.bodyText, category: record.category, language: record.language) {
            let delay = rule.delay ?? defaultDelay
            switch rule.verdict {
            case .approve:
                let category = rule.recategorize.flatMap { $0 == record.category ? nil : $0 }
                return ReviewDecision(outcome: .approve(category: category), immediate: rule.immediate, delay: delay)
            case .reject:
                let reason = rule.reason ?? "INVALID_FORMAT"
                let info = reason == "INVALID_FORMAT"
                    ? WebhookValue.RejectionInfo(reason: rule.rejectionReason ?? defaultInvalidFormatReason,
                                                 recommendation: rule.recommendation ?? defaultInvalidFormatRecommendation)
                    : nil
                return ReviewDecision(outcome: .reject(reason: reason, info: info), immediate: rule.immediate, delay: delay)
            }
        }
        return ReviewDecision(outcome: .approve(category: nil), immediate: false, delay: defaultDelay)
    }

    /// Two variables separated by nothing but whitespace, in the header or the body.
    static func hasAdjacentVariables(_ record: TemplateRecord) -> Bool {
        for component in record.components where component.type == "BODY" || component.type == "HEADER" {
            guard let text = component.text else { continue }
            let placeholders = TemplatePlaceholders.scan(text).placeholders
            for (left, right) in zip(placeholders, placeholders.dropFirst())
            where text.unicodeScalars[left.range.upperBound..<right.range.lowerBound].allSatisfy({ $0.properties.isWhitespace }) {
                return true
            }
        }
        return false
    }
}
