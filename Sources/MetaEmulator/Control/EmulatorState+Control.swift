import Foundation
import MetaGraph

/// What the control endpoints change and read (reference §7 lifecycle, §8 template webhooks).
extension EmulatorState {
    private func existing(_ id: String) throws -> TemplateRecord {
        guard let record = templates[id] else { throw EmulatorControlError.notFound(id) }
        return record
    }

    func approve(_ id: String, category: String?) throws {
        let record = try existing(id)
        let newCategory = try category.map(validCategory).flatMap { $0 == record.category ? nil : $0 }
        switch record.status {
        case "DISABLED":
            throw EmulatorControlError.conflict("template \(id) is DISABLED")
        case "APPROVED":
            guard let newCategory else { throw EmulatorControlError.conflict("template \(id) is already APPROVED") }
            try recategorize(id, category: newCategory)
        default:
            templates[id]?.reviewGeneration += 1
            applyReview(.approve(category: newCategory), to: id)
        }
    }

    func reject(_ id: String, _ request: RejectRequest) throws {
        let record = try existing(id)
        guard record.status != "DISABLED" else { throw EmulatorControlError.conflict("template \(id) is DISABLED") }
        let reason = (request.reason ?? "INVALID_FORMAT").uppercased()
        guard ReviewRule.reasons.contains(reason) else {
            throw EmulatorControlError.badRequest("reason must be one of \(ReviewRule.reasons.sorted().joined(separator: ", "))")
        }
        let info = reason == "INVALID_FORMAT"
            ? WebhookValue.RejectionInfo(reason: request.rejectionReason ?? TemplateReviewer.defaultInvalidFormatReason,
                                         recommendation: request.recommendation ?? TemplateReviewer.defaultInvalidFormatRecommendation)
            : nil
        templates[id]?.reviewGeneration += 1
        applyReview(.reject(reason: reason, info: info), to: id)
    }

    /// APPROVED -> PAUSED (first and second pause); the third pause disables, as Meta does.
    func pause(_ id: String) throws {
        let record = try existing(id)
        guard record.status == "APPROVED" else { throw EmulatorControlError.conflict("only APPROVED templates can be paused; \(id) is \(record.status)") }
        templates[id]?.pauseCount += 1
        let count = record.pauseCount + 1
        if count >= 3 {
            setStatus(id, "DISABLED", reason: "NONE",
                      otherInfo: .init(title: "DISABLED", description: "Your message template has been disabled after being paused repeatedly for low quality."),
                      disable: true)
            return
        }
        let hours = count == 1 ? 3 : 6
        setStatus(id, "PAUSED", reason: "NONE",
                  otherInfo: .init(title: count == 1 ? "FIRST_PAUSE" : "SECOND_PAUSE",
                                   description: "Your message template has been paused for \(hours) hours because of low quality."))
    }

    func unpause(_ id: String) throws {
        let record = try existing(id)
        guard record.status == "PAUSED" else { throw EmulatorControlError.conflict("only PAUSED templates can be unpaused; \(id) is \(record.status)") }
        setStatus(id, "APPROVED", reason: "NONE", otherInfo: .init(title: "UNPAUSE", description: "Your message template has been unpaused."))
    }

    func disable(_ id: String) throws {
        let record = try existing(id)
        guard record.status != "DISABLED" else { throw EmulatorControlError.conflict("template \(id) is already DISABLED") }
        setStatus(id, "DISABLED", reason: "NONE",
                  otherInfo: .init(title: "DISABLED", description: "Your message template has been disabled."), disable: true)
    }

    func setQuality(_ id: String, score: String) throws {
        let record = try existing(id)
        let score = score.uppercased()
        guard ["GREEN", "YELLOW", "RED", "UNKNOWN"].contains(score) else {
            throw EmulatorControlError.badRequest("score must be GREEN, YELLOW, RED or UNKNOWN")
        }
        let time = now
        let previous = record.quality.score
        var updated = record
        updated.quality = QualityScore(score: score, date: Int(time))
        templates[id] = updated
        emit({ try factory.qualityUpdate(updated, previous: previous, new: score, time: Int(time)) },
             field: "message_template_quality_update")
    }

    func recategorize(_ id: String, category: String) throws {
        let record = try existing(id)
        let category = try validCategory(category)
        guard category != record.category else { throw EmulatorControlError.conflict("template \(id) is already \(category)") }
        let time = now
        var updated = record
        updated.previousCategory = record.category
        updated.category = category
        updated.updatedAt = time
        templates[id] = updated
        emit({ try factory.categoryUpdate(updated, previous: record.category, new: category, time: Int(time)) },
             field: "template_category_update")
    }

    private func validCategory(_ text: String) throws -> String {
        let category = text.uppercased()
        guard TemplateDraft.categories.contains(category) else {
            throw EmulatorControlError.badRequest("category must be MARKETING, UTILITY or AUTHENTICATION")
        }
        return category
    }

    func templateSnapshots() -> [TemplateSnapshot] {
        templates.values.sorted { $0.sequence < $1.sequence }.map(TemplateSnapshot.init)
    }

    func messageSnapshots() -> [MessageSnapshot] {
        messages.values.sorted { $0.sequence < $1.sequence }.map(MessageSnapshot.init)
    }

    func requests() -> [RequestLogEntry] { requestLog }

    func statistics() -> EmulatorStats {
        var copy = stats
        copy.templates = Dictionary(grouping: templates.values, by: \.status).mapValues(\.count)
        return copy
    }
}
