import Foundation

/// What an apply learned from Meta about one template, written in the same transaction as the
/// change itself, so a crash can never leave Meta's id unrecorded for a finished call.
public struct TemplateWrite: Sendable, Hashable {
    public enum Event: String, Sendable, Hashable, Codable {
        case created, adopted, edited, stateOnly = "state-only", recreated
    }

    public var templateID: String
    public var status: String
    public var category: String
    public var appliedFingerprint: String
    public var event: Event
    /// Counts against the 100-per-hour creation limit.
    public var countsAsCreate: Bool
    /// Counts against the approved-edit quotas.
    public var countsAsApprovedEdit: Bool

    public init(templateID: String, status: String, category: String, appliedFingerprint: String, event: Event,
                countsAsCreate: Bool = false, countsAsApprovedEdit: Bool = false) {
        self.templateID = templateID
        self.status = status
        self.category = category
        self.appliedFingerprint = appliedFingerprint
        self.event = event
        self.countsAsCreate = countsAsCreate
        self.countsAsApprovedEdit = countsAsApprovedEdit
    }
}

/// A status seen by `sync`, `apply --wait` or a webhook. Nil fields leave what is stored.
public struct TemplateStatusUpdate: Sendable, Hashable {
    public var id: ResourceID
    public var templateID: String?
    public var status: String?
    public var category: String?
    public var quality: String?
    public var reason: String?
    public var reasonDetail: String?
    /// `sync`, `wait`, `webhook`, `apply`.
    public var source: String
    public var at: Date

    public init(id: ResourceID, templateID: String? = nil, status: String? = nil, category: String? = nil, quality: String? = nil,
                reason: String? = nil, reasonDetail: String? = nil, source: String, at: Date) {
        self.id = id
        self.templateID = templateID
        self.status = status
        self.category = category
        self.quality = quality
        self.reason = reason
        self.reasonDetail = reasonDetail
        self.source = source
        self.at = at
    }
}

/// One line of a template's history (`bizone status template/NAME@LANG`).
public struct TemplateHistoryEntry: Sendable, Hashable, Codable {
    public var at: Date
    /// `created`, `edited`, `adopted`, `status`, `quality`, `category`, `deleted`, ...
    public var event: String
    public var status: String?
    public var category: String?
    public var quality: String?
    public var reason: String?
    public var detail: String?
    public var source: String

    public init(at: Date, event: String, status: String? = nil, category: String? = nil, quality: String? = nil,
                reason: String? = nil, detail: String? = nil, source: String) {
        self.at = at
        self.event = event
        self.status = status
        self.category = category
        self.quality = quality
        self.reason = reason
        self.detail = detail
        self.source = source
    }
}
