import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import Hummingbird
import MetaGraph

/// What agents do to a conversation: reply, assign, change its status, take notes, label it.
extension ConversationRoutes {
    struct ReplyBody: Decodable {
        struct Template: Decodable {
            var name: String
            var language: String
            var parameters: [String: String]?
        }

        var text: String?
        var template: Template?
        /// A canned response's name: its text filled in for this conversation, sent as text.
        var canned: String?
    }

    struct AssignmentBody: Decodable {
        var user: String?
        var team: String?
    }

    struct StatusBody: Decodable {
        var status: String
        var snoozedUntil: String?
    }

    struct NoteBody: Decodable { var body: String }

    struct LabelsBody: Decodable {
        var add: [String]?
        var remove: [String]?
    }

    func registerActions(on router: inout GuardedRouter) {
        router.post("/api/conversations/{id}/messages", .permission(Permission("conversations", "reply"))) { request, context, principal in
            let id = try Self.id(context)
            let author = try MeRoutes.required(principal).user.name
            var body = try await JSONBody.decode(ReplyBody.self, from: request)
            if let name = body.canned {
                guard body.text == nil, body.template == nil else {
                    throw ApiError(.unprocessableContent, "invalid_reply", "send one of text, template or canned")
                }
                let user = try MeRoutes.required(principal).user
                let store = self.store
                let found = try await Blocking.run { () -> String?? in
                    guard let conversation = try store.conversation(id: id) else { return .some(nil) }
                    guard let spec = try CannedResponseRoutes.visible(to: user, store: store).first(where: { $0.0 == name })?.1 else { return nil }
                    return .some(spec.rendered(values: CannedResponseRoutes.values(conversation: conversation, agent: user)))
                }
                guard let rendered = found else {
                    throw ApiError(.unprocessableContent, "unknown_canned_response", "canned: \(name) is not a canned response you see")
                }
                guard let text = rendered else { throw Self.notFound(id) }
                body = ReplyBody(text: text)
            }
            let content = try await replyContent(body, conversation: id)
            let store = self.store
            let at = now()
            let reply = try await Self.mapped(id) {
                try await Blocking.run { try store.queueReply(conversationID: id, author: author, content: content, at: at) }
            }
            return JSONResponse.make(.accepted, ConversationJSON.Reply(id: reply.id, state: reply.state.rawValue, createdAt: reply.createdAt))
        }
        router.post("/api/conversations/{id}/assignment", .permission(Permission("conversations", "assign"))) { request, context, _ in
            let id = try Self.id(context)
            let body = try await JSONBody.decode(AssignmentBody.self, from: request)
            let store = self.store
            let users = try await Blocking.run { try store.users() }
            if let user = body.user, !users.contains(where: { $0.name == user && !$0.disabled }) {
                throw ApiError(.unprocessableContent, "unknown_user", "user: \(user) is not a declared, enabled User")
            }
            if let team = body.team, !users.contains(where: { $0.teams.contains(team) }) {
                throw ApiError(.unprocessableContent, "unknown_team", "team: no declared User is in team \(team)")
            }
            try await Self.mapped(id) { try await Blocking.run { try store.assignConversation(id: id, user: body.user, team: body.team) } }
            return JSONResponse.make(.ok, ["assignedUser": body.user, "assignedTeam": body.team])
        }
        router.post("/api/conversations/{id}/status", .permission(Permission("conversations", "close"))) { request, context, _ in
            let id = try Self.id(context)
            let body = try await JSONBody.decode(StatusBody.self, from: request)
            guard let status = ConversationStatus(rawValue: body.status) else {
                throw ApiError(.unprocessableContent, "invalid_status",
                               "status: one of \(ConversationStatus.allCases.map(\.rawValue).joined(separator: ", ")), not \(body.status)")
            }
            var until: Date?
            if status == .snoozed {
                guard let text = body.snoozedUntil, let date = Timestamps.parse(text), date > now() else {
                    throw ApiError(.unprocessableContent, "invalid_snooze", "snoozedUntil: a future time such as 2026-12-01T09:00:00Z")
                }
                until = date
            }
            let store = self.store
            let at = now()
            let snoozedUntil = until
            try await Self.mapped(id) {
                try await Blocking.run { try store.setConversationStatus(id: id, status: status, snoozedUntil: snoozedUntil, at: at) }
            }
            return JSONResponse.make(.ok, ["status": status.rawValue])
        }
        router.post("/api/conversations/{id}/notes", .permission(Permission("conversations", "notes"))) { request, context, principal in
            let id = try Self.id(context)
            let author = try MeRoutes.required(principal).user.name
            let body = try await JSONBody.decode(NoteBody.self, from: request)
            let text = body.body.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= 10_000 else {
                throw ApiError(.unprocessableContent, "invalid_note", "body: 1 to 10,000 characters")
            }
            let store = self.store
            let at = now()
            let users = Set(try await Blocking.run { try store.users() }.map(\.name))
            let mentions = Self.mentions(in: text, of: users)
            let note = try await Self.mapped(id) {
                try await Blocking.run { try store.addNote(conversationID: id, author: author, body: text, mentions: mentions, at: at) }
            }
            return JSONResponse.make(.created, ConversationJSON.Note(id: note.id, author: note.author, body: note.body, mentions: note.mentions,
                                                                     createdAt: note.createdAt))
        }
        router.post("/api/conversations/{id}/labels", .permission(Permission("conversations", "assign"))) { request, context, _ in
            let id = try Self.id(context)
            let body = try await JSONBody.decode(LabelsBody.self, from: request)
            let add = body.add ?? [], remove = body.remove ?? []
            for (offset, label) in (add + remove).enumerated() where !Self.isLabel(label) {
                throw ApiError(.unprocessableContent, "invalid_label",
                               "\(offset < add.count ? "add" : "remove")[\(offset < add.count ? offset : offset - add.count)]: "
                               + "a label is 1 to 50 lower-case letters, digits, '-' or '_'")
            }
            let store = self.store
            let labels = try await Self.mapped(id) {
                try await Blocking.run { try store.updateLabels(conversationID: id, add: add, remove: remove) }
            }
            return JSONResponse.make(.ok, ["labels": labels])
        }
    }

    /// Text inside the customer-service window; outside it only an approved template, with
    /// exactly the parameters it takes (the keys campaigns use).
    func replyContent(_ body: ReplyBody, conversation id: Int64) async throws -> ReplyContent {
        let store = self.store
        let at = now()
        switch (body.text, body.template) {
        case (let text?, nil):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, text.count <= 4096 else {
                throw ApiError(.unprocessableContent, "invalid_text", "text: 1 to 4,096 characters")
            }
            guard let conversation = try await Blocking.run({ try store.conversation(id: id) }) else { throw Self.notFound(id) }
            guard let last = conversation.lastInboundAt, at < last + serviceWindow else {
                let ended = conversation.lastInboundAt.map { "closed at \(Timestamps.format($0 + serviceWindow))" } ?? "never opened"
                throw ApiError(.unprocessableContent, "outside_service_window",
                               "the 24-hour customer-service window \(ended): only an approved template can be sent now")
            }
            return .text(text)
        case (nil, let template?):
            let templateID = ResourceID(kind: .template, name: template.name, language: template.language)
            let (record, applied) = try await Blocking.run { (try store.templateRecords()[templateID], try store.appliedResource(templateID)) }
            guard let spec = applied?.content["spec"].flatMap({ try? $0.decode(TemplateSpec.self) }) else {
                throw ApiError(.unprocessableContent, "unknown_template", "template: \(templateID) is not applied")
            }
            if let reason = CampaignTemplateGuard.blockReason(template: templateID, record: record) {
                throw ApiError(.unprocessableContent, "template_not_sendable", "template: \(reason)")
            }
            let values = template.parameters ?? [:]
            let wanted = Set(TemplateMapping.sendParameterKeys(for: spec))
            let missing = wanted.subtracting(values.keys).sorted()
            let extra = Set(values.keys).subtracting(wanted).sorted()
            guard missing.isEmpty, extra.isEmpty else {
                var problems: [String] = []
                if !missing.isEmpty { problems.append("missing \(missing.joined(separator: ", "))") }
                if !extra.isEmpty { problems.append("not in the template: \(extra.joined(separator: ", "))") }
                throw ApiError(.unprocessableContent, "invalid_parameters", "template.parameters: " + problems.joined(separator: "; "))
            }
            return .template(name: template.name, language: template.language, parameters: values)
        default:
            throw ApiError(.unprocessableContent, "invalid_reply", "send either text or template")
        }
    }

    /// `@name` of declared users, in order, once each.
    static func mentions(in text: String, of users: Set<String>) -> [String] {
        var found: [String] = []
        for word in text.split(whereSeparator: { $0.isWhitespace }) where word.hasPrefix("@") {
            let name = String(word.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            if users.contains(name) && !found.contains(name) { found.append(name) }
        }
        return found
    }

    static func isLabel(_ label: String) -> Bool {
        (1...50).contains(label.count) && label.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }
}
