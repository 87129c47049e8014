/// One review rule: matchers (all given ones must match) and a verdict.
public struct ReviewRule: Sendable, Decodable {
    public enum Verdict: String, Sendable, Decodable {
        case approve, reject
    }

    public var name: RulePattern?
    public var body: RulePattern?
    /// Requested category, case-insensitive.
    public var category: String?
    /// Exact language code (`-` read as `_`).
    public var language: String?
    public var verdict: Verdict
    /// Rejection reason: `INVALID_FORMAT`, `TAG_CONTENT_MISMATCH`, `PROMOTIONAL`, `ABUSIVE_CONTENT`, `SCAM`,
    /// `INCORRECT_CATEGORY`. Default `INVALID_FORMAT`.
    public var reason: String?
    /// `rejection_info.reason` for `INVALID_FORMAT`.
    public var rejectionReason: String?
    /// `rejection_info.recommendation` for `INVALID_FORMAT`.
    public var recommendation: String?
    /// Approve under this category instead (sends `template_category_update`).
    public var recategorize: String?
    /// Put the verdict in the create (or edit) response instead of reviewing later.
    public var immediate: Bool
    /// This rule's review delay, seconds (default `timing.reviewDelay`).
    public var delay: Double?

    public init(name: RulePattern? = nil, body: RulePattern? = nil, category: String? = nil, language: String? = nil,
                verdict: Verdict = .approve, reason: String? = nil, rejectionReason: String? = nil, recommendation: String? = nil,
                recategorize: String? = nil, immediate: Bool = false, delay: Double? = nil) {
        self.name = name
        self.body = body
        self.category = category
        self.language = language
        self.verdict = verdict
        self.reason = reason
        self.rejectionReason = rejectionReason
        self.recommendation = recommendation
        self.recategorize = recategorize
        self.immediate = immediate
        self.delay = delay
    }

    enum CodingKeys: String, CodingKey {
        case name, body, category, language, verdict, reason, rejectionReason, recommendation, recategorize, immediate, delay
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(RulePattern.self, forKey: .name)
        body = try container.decodeIfPresent(RulePattern.self, forKey: .body)
        category = try container.decodeIfPresent(String.self, forKey: .category)
        language = try container.decodeIfPresent(String.self, forKey: .language)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)?.uppercased()
        if let text = try container.decodeIfPresent(String.self, forKey: .verdict) {
            guard let verdict = Verdict(rawValue: text.lowercased()) else {
                throw DecodingError.dataCorruptedError(forKey: .verdict, in: container,
                                                       debugDescription: "verdict must be approve or reject, not \"\(text)\"")
            }
            self.verdict = verdict
        } else {
            verdict = reason == nil ? .approve : .reject
        }
        if let reason, !Self.reasons.contains(reason) {
            throw DecodingError.dataCorruptedError(forKey: .reason, in: container,
                                                   debugDescription: "reason must be one of \(Self.reasons.sorted().joined(separator: ", "))")
        }
        rejectionReason = try container.decodeIfPresent(String.self, forKey: .rejectionReason)
        recommendation = try container.decodeIfPresent(String.self, forKey: .recommendation)
        recategorize = try container.decodeIfPresent(String.self, forKey: .recategorize)?.uppercased()
        immediate = try container.decodeIfPresent(Bool.self, forKey: .immediate) ?? false
        delay = try container.decodeIfPresent(Double.self, forKey: .delay)
    }

    /// Meta's rejection reasons (reference §7).
    public static let reasons: Set<String> = ["ABUSIVE_CONTENT", "CATEGORY_NOT_AVAILABLE", "INCORRECT_CATEGORY", "INVALID_FORMAT",
                                              "PROMOTIONAL", "SCAM", "TAG_CONTENT_MISMATCH"]

    func matches(name templateName: String, body bodyText: String, category templateCategory: String, language templateLanguage: String) -> Bool {
        if let name, !name.matches(templateName) { return false }
        if let body, !body.matches(bodyText) { return false }
        if let category, category.uppercased() != templateCategory.uppercased() { return false }
        if let language, language.replacingOccurrences(of: "-", with: "_") != templateLanguage { return false }
        return true
    }
}
