import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import Hummingbird
import MetaGraph

/// The agents' inbox: `/api/conversations` (list with filters and cursor paging, queue counts,
/// one thread), replies, assignment, status, notes, labels and read marks. Each route names the
/// `conversations` permission it needs (read, reply, assign, notes, close); labels count as
/// triage (`assign`).
struct ConversationRoutes: Sendable {
    let store: StateStore
    let now: @Sendable () -> Date
    /// Meta's customer-service window: free text only this long after the customer's last message.
    var serviceWindow: TimeInterval = 24 * 3600

    static let read = Access.permission(Permission("conversations", "read"))

    struct ReadBody: Decodable { var receipt: Bool? }

    func register(on router: inout GuardedRouter) {
        router.get("/api/conversations", Self.read) { request, _, principal in
            try await list(request, principal: try MeRoutes.required(principal))
        }
        router.get("/api/conversations/counts", Self.read) { _, _, principal in
            let viewer = try MeRoutes.required(principal).user.name
            let store = self.store
            let at = now()
            return JSONResponse.make(.ok, try await Blocking.run { try store.conversationCounts(viewer: viewer, at: at) })
        }
        router.get("/api/conversations/{id}", Self.read) { _, context, principal in
            let id = try Self.id(context)
            let viewer = try MeRoutes.required(principal).user.name
            let store = self.store
            let at = now()
            guard let thread = try await Blocking.run({ try store.conversationThread(id: id, viewer: viewer, at: at) }) else {
                throw Self.notFound(id)
            }
            return JSONResponse.make(.ok, ConversationJSON.thread(thread, window: serviceWindow))
        }
        for (path, read) in [("read", true), ("unread", false)] {
            router.post("/api/conversations/{id}/\(path)", Self.read) { request, context, principal in
                let id = try Self.id(context)
                let viewer = try MeRoutes.required(principal).user.name
                // Reading sends Meta's read receipt for the newest customer message unless
                // `{"receipt": false}` (blue ticks are the team's choice).
                let asked = try await JSONBody.decodeIfPresent(ReadBody.self, from: request)?.receipt ?? true
                let receipt = read && asked
                let store = self.store
                let at = now()
                try await Self.mapped(id) {
                    _ = try await Blocking.run { try store.markConversation(id: id, user: viewer, read: read, receipt: receipt, at: at) }
                }
                return Response(status: .noContent)
            }
        }
        registerActions(on: &router)
    }

    private func list(_ request: Request, principal: Principal) async throws -> Response {
        let items = QueryItems(request.uri.query)
        var query = ConversationQuery(viewer: principal.user.name)
        switch items["assignee"] {
        case nil, "": break
        case "me": query.assignee = .user(principal.user.name)
        case "unassigned": query.assignee = .unassigned
        case let name?: query.assignee = .user(name)
        }
        query.team = items["team"].flatMap { $0.isEmpty ? nil : $0 }
        if let status = items["status"], !status.isEmpty {
            guard let parsed = ConversationStatus(rawValue: status) else {
                throw ApiError.badRequest("status: one of \(ConversationStatus.allCases.map(\.rawValue).joined(separator: ", ")), not \(status)")
            }
            query.status = parsed
        }
        query.unreadOnly = items["unread"] == "true"
        query.label = items["label"].flatMap { $0.isEmpty ? nil : $0 }
        query.search = items["q"].flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        if let limit = items["limit"] {
            guard let value = Int(limit), (1...200).contains(value) else { throw ApiError.badRequest("limit: a number from 1 to 200") }
            query.limit = value
        }
        if let token = items["cursor"], !token.isEmpty {
            guard let cursor = ConversationCursor(token: token) else { throw ApiError.badRequest("cursor: not a cursor from this list") }
            query.after = cursor
        }
        let store = self.store
        let at = now()
        let asked = query
        let page = try await Blocking.run { try store.conversationPage(asked, at: at) }
        return JSONResponse.make(.ok, ConversationJSON.Page(conversations: page.items.map { ConversationJSON.summary($0, window: serviceWindow) },
                                                            nextCursor: page.next?.token))
    }

    static func id(_ context: ServerContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw ApiError(.notFound, "not_found", "no conversation with this id")
        }
        return id
    }

    static func notFound(_ id: Int64) -> ApiError { ApiError(.notFound, "not_found", "no conversation \(id)") }

    /// Runs `body`; the store's "no conversation" becomes 404.
    static func mapped<T: Sendable>(_ id: Int64, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch StoreError.conflict {
            throw notFound(id)
        }
    }
}
