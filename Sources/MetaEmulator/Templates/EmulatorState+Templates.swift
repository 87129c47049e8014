import BizOneModel
import Foundation
import MetaGraph

/// Template management: create, list, edit, delete (reference §3-§6.9).
extension EmulatorState {
    static let hour = 3600.0
    static let day = 86_400.0
    static let nameLockDuration = 30 * 86_400.0

    func createTemplate(_ call: GraphCall) throws -> GraphReply {
        let time = now
        let hourly = limits.templateCreatesPerHour
        if hourly > 0, creations.count(within: Self.hour, now: time) >= hourly {
            let wait = creations.wait(limit: hourly, within: Self.hour, now: time)
            throw EmulatorGraphError.wabaRateLimit(retryAfter: SendLimiter.seconds(wait))
        }
        let draft = try TemplateDraft(parameters: call.parameters)
        if let until = nameLocks[draft.name], until > time {
            let days = Int(((until - time) / Self.day).rounded(.up))
            throw EmulatorGraphError.template(TemplateSubcode.nameBeingDeleted, title: "Message template language is being deleted",
                                      message: "New \(draft.language) content can't be added while the existing content of \"\(draft.name)\" is being deleted. Try again in \(days) days or use another name.")
        }
        if templates.values.contains(where: { $0.name == draft.name && $0.language == draft.language }) {
            throw EmulatorGraphError.template(TemplateSubcode.languageExists, title: "Content in this language already exists",
                                      message: "Content in \(draft.language) already exists for the template \"\(draft.name)\". Edit the existing template or create one with another name.")
        }
        if limits.templatesPerAccount > 0, templates.count >= limits.templatesPerAccount {
            throw EmulatorGraphError.template(TemplateSubcode.templateLimit, title: "Message template limit reached",
                                      message: "This WhatsApp Business Account has reached its limit of \(limits.templatesPerAccount) message templates. Delete templates you no longer use.")
        }
        creations.record(time, keeping: Self.hour)
        templateSequence += 1
        var record = TemplateRecord(id: ids.templateID(), sequence: templateSequence, name: draft.name, language: draft.language,
                                    category: draft.category, subCategory: draft.subCategory, parameterFormat: draft.parameterFormat,
                                    components: draft.components, ttl: draft.ttl, status: "PENDING", rejectedReason: "NONE",
                                    quality: QualityScore(score: "UNKNOWN", date: Int(time)), createdAt: time, updatedAt: time)
        record.history.append(TemplateHistoryEntry(status: "PENDING", reason: nil, time: time))
        templates[record.id] = record
        stats.templatesCreated += 1
        review(record.id)
        let stored = templates[record.id] ?? record
        return try .encode(CreateTemplateResponse(id: stored.id, status: stored.status, category: stored.category))
    }

    /// Starts the review of a PENDING template: now when a rule asks for an immediate verdict,
    /// otherwise after the delay.
    func review(_ id: String) {
        guard let record = templates[id] else { return }
        let decision = TemplateReviewer.decide(record, rules: rules.review, defaultDelay: timing.reviewDelay)
        if decision.immediate {
            applyReview(decision.outcome, to: id)
        } else {
            schedule([(decision.delay, .review(templateID: id, generation: record.reviewGeneration))])
        }
    }

    func applyReview(_ outcome: ReviewDecision.Outcome, to id: String) {
        guard var record = templates[id] else { return }
        let time = now
        switch outcome {
        case .approve(let category):
            let previous = record.category
            if let category {
                record.previousCategory = previous
                record.category = category
            }
            record.rejectedReason = "NONE"
            record.rejectionInfo = nil
            record.record("APPROVED", reason: "NONE", at: time)
            templates[id] = record
            emit({ try factory.templateStatus(record, event: "APPROVED", reason: "NONE", time: Int(time)) },
                 field: "message_template_status_update")
            if let category {
                emit({ try factory.categoryUpdate(record, previous: previous, new: category, time: Int(time)) },
                     field: "template_category_update")
            }
        case .reject(let reason, let info):
            record.rejectedReason = reason
            record.rejectionInfo = info
            record.record("REJECTED", reason: reason, at: time)
            templates[id] = record
            emit({ try factory.templateStatus(record, event: "REJECTED", reason: reason, rejection: info, time: Int(time)) },
                 field: "message_template_status_update")
        }
    }

    func listTemplates(_ call: GraphCall) throws -> GraphReply {
        let listing = try TemplateListing(query: call.query, version: call.version)
        let base = call.query.removing(["after", "before", "access_token"])
        let path = "\(call.origin)/\(call.version)/\(call.node)/message_templates"
        let page = listing.page(of: Array(templates.values)) { key, cursor in
            var query = base
            if query["limit"] == nil { query.set("limit", String(listing.limit)) }
            query.set("access_token", call.token)
            query.set(key, cursor)
            return path + "?" + query.encoded
        }
        return try .encode(page)
    }

    func editTemplate(id: String, _ call: GraphCall) throws -> GraphReply {
        guard var record = templates[id] else { throw EmulatorGraphError.unsupported(call.method, id: id) }
        let parameters = call.parameters
        guard ["APPROVED", "REJECTED", "PAUSED"].contains(record.status) else {
            throw EmulatorGraphError.template(nil, title: "Template can't be edited",
                                      message: "Only templates with status APPROVED, REJECTED or PAUSED can be edited; \"\(record.name)\" (\(record.language)) is \(record.status).")
        }
        if let name = parameters["name"]?.textValue, name != record.name {
            throw EmulatorGraphError.template(nil, title: "Template name can't be changed", message: "The name of a template can't be edited.")
        }
        if let language = parameters["language"]?.textValue, language != record.language {
            throw EmulatorGraphError.template(nil, title: "Template language can't be changed", message: "The language of a template can't be edited.")
        }
        if let format = parameters["parameter_format"], !format.isNull, try TemplateDraft.parameterFormat(format) != record.parameterFormat {
            throw EmulatorGraphError.template(nil, title: "Parameter format can't be changed",
                                      message: "The parameter format of a template can't be edited; create a new template instead.")
        }
        var category = record.category
        if let text = parameters["category"]?.textValue {
            let requested = text.uppercased()
            guard TemplateDraft.categories.contains(requested) else {
                throw EmulatorGraphError.notOneOf("category", TemplateDraft.categories, got: text)
            }
            if requested != record.category, record.status == "APPROVED" {
                throw EmulatorGraphError.template(nil, title: "Category can't be changed",
                                          message: "The category of an approved template can't be edited.")
            }
            category = requested
        }
        var components = record.components
        if let value = parameters["components"], !value.isNull {
            components = try ComponentRules(category: category, parameterFormat: record.parameterFormat)
                .check(TemplateDraft.decodeComponents(value))
        }
        var ttl = record.ttl
        if let value = parameters["message_send_ttl_seconds"], !value.isNull {
            ttl = try TemplateDraft.ttl(value, category: category)
        }
        if parameters["components"] == nil, parameters["category"] == nil, parameters["message_send_ttl_seconds"] == nil {
            throw EmulatorGraphError.param("At least one of the parameters category, components or message_send_ttl_seconds is required")
        }
        let time = now
        if record.status == "APPROVED" {
            try checkEditQuota(record, now: time)
            record.approvedEdits.record(time, keeping: 30 * Self.day)
        }
        record.category = category
        record.components = components
        record.ttl = ttl
        record.editCount += 1
        record.reviewGeneration += 1
        record.rejectedReason = "NONE"
        record.rejectionInfo = nil
        record.record("PENDING", at: time)
        templates[id] = record
        stats.templateEdits += 1
        review(id)
        return try .encode(SuccessResponse())
    }

    private func checkEditQuota(_ record: TemplateRecord, now time: Double) throws {
        for (limit, window, label) in [(limits.editsPer24h, Self.day, "24 hours"), (limits.editsPer30d, 30 * Self.day, "30 days")] {
            guard limit > 0, record.approvedEdits.count(within: window, now: time) >= limit else { continue }
            let wait = record.approvedEdits.wait(limit: limit, within: window, now: time)
            let hours = max(1, Int((wait / Self.hour).rounded(.up)))
            throw EmulatorGraphError.template(TemplateSubcode.editQuota, title: "Edit limit reached",
                                      message: "An approved template can be edited \(limit) time\(limit == 1 ? "" : "s") per \(label); \"\(record.name)\" (\(record.language)) can be edited again in \(hours) hour\(hours == 1 ? "" : "s").")
        }
    }

    func deleteTemplates(_ call: GraphCall) throws -> GraphReply {
        guard let name = call.text("name"), !name.isEmpty else { throw EmulatorGraphError.required("name") }
        var targets = templates.values.filter { $0.name == name }
        if let hsmID = call.text("hsm_id"), !hsmID.isEmpty {
            targets = targets.filter { $0.id == hsmID }
            guard !targets.isEmpty else {
                throw EmulatorGraphError.template(nil, title: "Message template not found",
                                          message: "No message template with id \(hsmID) and name \"\(name)\" exists in this WhatsApp Business Account.")
            }
        }
        guard !targets.isEmpty else { throw EmulatorGraphError.templateNotFound(name: name) }
        if let disabled = targets.first(where: { $0.status == "DISABLED" }) {
            throw EmulatorGraphError.template(nil, title: "Disabled templates can't be deleted",
                                      message: "The template \"\(disabled.name)\" (\(disabled.language)) is DISABLED and can't be deleted.")
        }
        let time = now
        for target in targets.sorted(by: { $0.sequence < $1.sequence }) {
            templates[target.id] = nil
            stats.templatesDeleted += 1
            if target.status == "APPROVED" || target.status == "PAUSED" {
                nameLocks[target.name] = time + Self.nameLockDuration
            }
            var deleted = target
            deleted.status = "DELETED"
            emit({ try factory.templateStatus(deleted, event: "DELETED", reason: nil, time: Int(time)) },
                 field: "message_template_status_update")
        }
        return try .encode(SuccessResponse())
    }

    func unpauseByAPI(id: String) throws -> GraphReply {
        guard let record = templates[id], record.status == "PAUSED" else {
            throw EmulatorGraphError.template(nil, title: "Template is not paused", message: "Only PAUSED templates can be unpaused.")
        }
        setStatus(id, "APPROVED", reason: "NONE", otherInfo: .init(title: "UNPAUSE", description: "Your message template has been unpaused."))
        return try .encode(SuccessResponse())
    }

    /// A status change made outside review (pause, unpause, disable, control approval), with its webhook.
    func setStatus(_ id: String, _ status: String, reason: String?, otherInfo: WebhookValue.OtherInfo? = nil, disable: Bool = false) {
        guard var record = templates[id] else { return }
        let time = now
        record.record(status, reason: reason, at: time)
        if status == "APPROVED" {
            record.rejectedReason = "NONE"
            record.rejectionInfo = nil
        }
        templates[id] = record
        emit({ try factory.templateStatus(record, event: status, reason: reason, otherInfo: otherInfo,
                                          disableDate: disable ? Int(time) : nil, time: Int(time)) },
             field: "message_template_status_update")
    }
}
