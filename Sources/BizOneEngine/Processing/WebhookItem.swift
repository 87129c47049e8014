import BizOneModel
import Foundation

/// One thing a webhook POST told us, typed. A POST holds any number of them (reference §12):
/// every `entry[].changes[]` yields its statuses, messages, template events or errors.
public enum WebhookItem: Sendable, Hashable {
    /// `value.statuses[]` of a `messages` change.
    case status(MessageStatusEvent)
    /// `value.messages[]` of a `messages` change, with the sender from `contacts[]`.
    case inbound(InboundMessageEvent)
    /// `message_template_status_update`.
    case templateStatus(TemplateStatusEvent)
    /// `message_template_quality_update` (or any change carrying `new_quality_score`).
    case templateQuality(TemplateQualityEvent)
    /// `template_category_update`, completed or impending.
    case templateCategory(TemplateCategoryEvent)
    /// `value.errors[]` without messages or statuses: a system-, app- or account-level problem.
    case valueErrors(field: String, errors: [WebhookErrorInfo])
    /// A field (or a shape) BizOne does not handle: acknowledged and kept in the event log only.
    case unknown(field: String)
    /// A status or message BizOne could not read (a required key missing, a wrong type):
    /// acknowledged, logged, and kept in the event log for inspection.
    case malformed(field: String, reason: String)

    /// The webhook field the item came from (`messages`, `message_template_status_update`, ...).
    public var field: String {
        switch self {
        case .status, .inbound: return "messages"
        case .templateStatus: return "message_template_status_update"
        case .templateQuality: return "message_template_quality_update"
        case .templateCategory: return "template_category_update"
        case .valueErrors(let field, _), .unknown(let field), .malformed(let field, _): return field
        }
    }
}

/// Where an item came from: the WABA (`entry[].id`) and, for `messages` changes, the business
/// phone number (`value.metadata.phone_number_id`).
public struct WebhookSource: Sendable, Hashable {
    public var businessAccountID: String
    public var phoneNumberID: String?

    public init(businessAccountID: String, phoneNumberID: String?) {
        self.businessAccountID = businessAccountID
        self.phoneNumberID = phoneNumberID
    }
}

/// An item with its source.
public struct DecodedItem: Sendable, Hashable {
    public var item: WebhookItem
    public var source: WebhookSource

    public init(item: WebhookItem, source: WebhookSource) {
        self.item = item
        self.source = source
    }
}

/// Meta's error object (reference §15.1), reduced to what BizOne decides on and shows.
public struct WebhookErrorInfo: Sendable, Hashable, Codable {
    public var code: Int
    public var title: String?
    public var details: String?

    public init(code: Int, title: String?, details: String?) {
        self.code = code
        self.title = title
        self.details = details
    }
}

/// Which template a template webhook is about, and when Meta says it happened (`entry[].time`).
public struct TemplateEventSubject: Sendable, Hashable {
    /// Meta's template id (sent as a JSON number; kept as its decimal string).
    public var templateID: String?
    public var name: String?
    /// Normalised to the API's form: `en-US` becomes `en_US`.
    public var language: String?
    /// `entry[].time`; nil when the entry had none.
    public var at: Date?

    public init(templateID: String?, name: String?, language: String?, at: Date?) {
        self.templateID = templateID
        self.name = name
        self.language = language
        self.at = at
    }
}

/// `message_template_status_update` (reference §8.1).
public struct TemplateStatusEvent: Sendable, Hashable {
    public var subject: TemplateEventSubject
    /// `APPROVED`, `REJECTED`, `PAUSED`, ... (an open set).
    public var event: String
    /// Meta's reason; nil when Meta sent `NONE` or null.
    public var reason: String?
    /// `rejection_info.reason` and `.recommendation`, or `other_info` for pauses, as one text.
    public var detail: String?
    public var category: String?

    public init(subject: TemplateEventSubject, event: String, reason: String?, detail: String?, category: String?) {
        self.subject = subject
        self.event = event
        self.reason = reason
        self.detail = detail
        self.category = category
    }
}

/// `message_template_quality_update` (reference §8.2).
public struct TemplateQualityEvent: Sendable, Hashable {
    public var subject: TemplateEventSubject
    public var previousScore: String?
    public var newScore: String

    public init(subject: TemplateEventSubject, previousScore: String?, newScore: String) {
        self.subject = subject
        self.previousScore = previousScore
        self.newScore = newScore
    }
}

/// `template_category_update` (reference §8.3).
public struct TemplateCategoryEvent: Sendable, Hashable {
    public var subject: TemplateEventSubject
    public var previousCategory: String?
    /// The category the template has now (completed) or still has (impending).
    public var newCategory: String?
    /// Only on an impending change: the category the template will get, and when.
    public var upcomingCategory: String?
    public var upcomingAt: Date?

    /// An announcement sent about a day ahead: nothing has changed yet.
    public var isImpending: Bool { upcomingCategory != nil }

    public init(subject: TemplateEventSubject, previousCategory: String?, newCategory: String?,
                upcomingCategory: String? = nil, upcomingAt: Date? = nil) {
        self.subject = subject
        self.previousCategory = previousCategory
        self.newCategory = newCategory
        self.upcomingCategory = upcomingCategory
        self.upcomingAt = upcomingAt
    }
}
