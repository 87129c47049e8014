import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// `GET /api/canned-responses[?conversation=ID]`: the applied canned responses the signed-in
/// person's teams see, by shortcode; with a conversation, each also filled in for it (what a
/// reply with `{"canned": NAME}` would send).
struct CannedResponseRoutes: Sendable {
    let store: StateStore

    struct Canned: Encodable {
        var name: String
        var shortcode: String
        var text: String
        var rendered: String?
    }

    func register(on router: inout GuardedRouter) {
        router.get("/api/canned-responses", ConversationRoutes.read) { request, _, principal in
            let user = try MeRoutes.required(principal).user
            let conversationID = QueryItems(request.uri.query)["conversation"].flatMap { Int64($0) }
            let store = self.store
            let (visible, conversation) = try await Blocking.run {
                (try Self.visible(to: user, store: store), try conversationID.flatMap { try store.conversation(id: $0) })
            }
            return JSONResponse.make(.ok, ["cannedResponses": visible.map { name, spec in
                Canned(name: name, shortcode: spec.shortcode, text: spec.text,
                       rendered: conversation.map { spec.rendered(values: Self.values(conversation: $0, agent: user)) })
            }])
        }
    }

    /// The applied canned responses `user` sees, by shortcode.
    static func visible(to user: UserRecord, store: StateStore) throws -> [(String, CannedResponseSpec)] {
        try store.appliedResources(of: [.cannedResponse]).compactMap { record -> (String, CannedResponseSpec)? in
            guard let spec = try? record.content["spec"]?.decode(CannedResponseSpec.self) else { return nil }
            guard spec.teams.isEmpty || !Set(spec.teams).isDisjoint(with: user.teams) else { return nil }
            return (record.id.name, spec)
        }.sorted { $0.1.shortcode < $1.1.shortcode }
    }

    static func values(conversation: ConversationRecord, agent: UserRecord) -> [String: String] {
        var values = ["agent.name": agent.displayName]
        if let name = conversation.name { values["contact.name"] = name }
        if let phone = conversation.phone { values["contact.phone"] = phone }
        return values
    }
}
