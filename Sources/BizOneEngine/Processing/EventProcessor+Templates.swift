import BizOneModel
import BizOneStore
import Foundation

/// Template webhooks (reference §8): stored through `recordTemplateStatus` with source
/// `webhook` at the entry's time, for templates the state knows. One about a Meta id the state
/// does not know yet is kept (`parkEarlyTemplateEvent`): Meta can review a template before the
/// apply that created it has recorded Meta's answer, and that apply then applies it.
extension EventProcessor {
    static let webhookSource = "webhook"

    /// The state's template a webhook is about: by Meta's id first, then by (name, language);
    /// nil when BizOne does not know it (made by hand in WhatsApp Manager and never imported).
    func template(for subject: TemplateEventSubject) throws -> (id: ResourceID, record: TemplateRecord?)? {
        if let templateID = subject.templateID, let record = try store.templateState(byTemplateID: templateID) {
            return (record.id, record)
        }
        guard let name = subject.name, let language = subject.language else { return nil }
        let id = ResourceID(kind: .template, name: name, language: language)
        if let record = try store.templateRecord(id) { return (id, record) }
        if try store.appliedResource(id) != nil { return (id, nil) }
        return nil
    }

    /// Stores the status unless it is older than the stored one (Meta delivers out of order).
    func applyTemplateStatus(_ update: TemplateStatusEvent, event: WebhookEventRef) throws -> Bool {
        guard let (id, record) = try template(for: update.subject) else {
            let early = update.subject.templateID.map {
                EarlyTemplateEvent(templateID: $0, eventID: event.id, change: .status, status: update.event,
                                   category: update.category?.uppercased(), reason: update.reason, reasonDetail: update.detail,
                                   at: update.subject.at ?? event.receivedAt, receivedAt: event.receivedAt)
            }
            guard try keepUnknown(update.subject, early, event, "status \(update.event)") == .templateKnown else { return false }
            return try applyTemplateStatus(update, event: event)
        }
        let at = update.subject.at ?? event.receivedAt
        if let changedAt = record?.statusChangedAt, at < changedAt, record?.status != update.event {
            logger.info("template status event older than the stored status; ignored", metadata: [
                "event": "\(event.id)", "template": "\(id)", "status": "\(update.event)",
                "eventTime": "\(Timestamps.format(at))", "storedSince": "\(Timestamps.format(changedAt))",
            ])
            return false
        }
        let changed = try store.recordTemplateStatus(TemplateStatusUpdate(
            id: id, templateID: update.subject.templateID, status: update.event, category: update.category?.uppercased(),
            reason: update.reason, reasonDetail: update.detail, source: Self.webhookSource, at: at))
        if changed {
            logger.info("template status from webhook", metadata: [
                "template": "\(id)", "status": "\(update.event)", "reason": "\(update.reason ?? "")",
            ])
            pauseCampaigns(using: id, event: event)
        }
        return changed
    }

    func applyTemplateQuality(_ update: TemplateQualityEvent, event: WebhookEventRef) throws -> Bool {
        guard let (id, _) = try template(for: update.subject) else {
            let early = update.subject.templateID.map {
                EarlyTemplateEvent(templateID: $0, eventID: event.id, change: .quality, quality: update.newScore.uppercased(),
                                   at: update.subject.at ?? event.receivedAt, receivedAt: event.receivedAt)
            }
            guard try keepUnknown(update.subject, early, event, "quality \(update.newScore)") == .templateKnown else { return false }
            return try applyTemplateQuality(update, event: event)
        }
        let changed = try store.recordTemplateStatus(TemplateStatusUpdate(
            id: id, templateID: update.subject.templateID, quality: update.newScore.uppercased(), source: Self.webhookSource,
            at: update.subject.at ?? event.receivedAt))
        if changed { pauseCampaigns(using: id, event: event) }
        return changed
    }

    /// Campaign hook: when the template's stored status is no longer sendable (PAUSED,
    /// DISABLED, back in review...) or its quality is RED, the queued and running runs of the
    /// campaigns that send it are paused now; their dispatchers stop at the next batch. A
    /// failure here is logged, not thrown: the dispatcher checks the template between batches
    /// anyway.
    func pauseCampaigns(using id: ResourceID, event: WebhookEventRef) {
        do {
            guard let reason = CampaignTemplateGuard.blockReason(template: id, record: try store.templateRecord(id)) else { return }
            let paused = try CampaignTemplateGuard.pauseRuns(using: id, reason: reason, store: store, at: now())
            if !paused.isEmpty {
                logger.notice("campaign runs paused by a template webhook", metadata: [
                    "event": "\(event.id)", "template": "\(id)", "runs": "\(paused.map(String.init).joined(separator: ","))",
                    "reason": "\(reason)",
                ])
            }
        } catch {
            logger.error("could not pause the campaigns of a template", metadata: [
                "event": "\(event.id)", "template": "\(id)", "error": "\(error)",
            ])
        }
    }

    /// A completed change stores the new category; an impending one (about a day ahead) is only
    /// logged: the completed event follows when it happens.
    func applyTemplateCategory(_ update: TemplateCategoryEvent, event: WebhookEventRef) throws -> Bool {
        guard let (id, _) = try template(for: update.subject) else {
            let early = update.isImpending ? nil : update.subject.templateID.flatMap { templateID in
                update.newCategory.map {
                    EarlyTemplateEvent(templateID: templateID, eventID: event.id, change: .category, category: $0.uppercased(),
                                       at: update.subject.at ?? event.receivedAt, receivedAt: event.receivedAt)
                }
            }
            guard try keepUnknown(update.subject, early, event, "category \(update.newCategory ?? "")") == .templateKnown else {
                return false
            }
            return try applyTemplateCategory(update, event: event)
        }
        if update.isImpending {
            logger.notice("Meta will change a template's category", metadata: [
                "template": "\(id)", "from": "\(update.newCategory ?? "")", "to": "\(update.upcomingCategory ?? "")",
                "at": "\(update.upcomingAt.map(Timestamps.format) ?? "")",
            ])
            return false
        }
        guard let category = update.newCategory else { return false }
        return try store.recordTemplateStatus(TemplateStatusUpdate(
            id: id, templateID: update.subject.templateID, category: category.uppercased(), source: Self.webhookSource,
            at: update.subject.at ?? event.receivedAt))
    }

    /// Keeps an observation about a Meta id the state does not know (nothing to keep without
    /// an id: names are reused, so a name alone could claim another template's event). Answers
    /// `.templateKnown` when the template was recorded since the lookup: the caller applies the
    /// event then, once (the next lookup finds it).
    private func keepUnknown(_ subject: TemplateEventSubject, _ early: EarlyTemplateEvent?, _ event: WebhookEventRef,
                             _ what: String) throws -> EarlyTemplateParking? {
        let parking = try early.map { try store.parkEarlyTemplateEvent($0) }
        if parking == .templateKnown { return parking }
        logger.info(parking == .kept
                    ? "template webhook for a template BizOne does not know yet; kept for the apply that records it"
                    : "template webhook for a template BizOne does not know; ignored", metadata: [
            "event": "\(event.id)", "templateID": "\(subject.templateID ?? "")", "name": "\(subject.name ?? "")",
            "language": "\(subject.language ?? "")", "change": "\(what)",
        ])
        return parking
    }
}
