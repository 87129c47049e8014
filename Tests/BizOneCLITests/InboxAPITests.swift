import AsyncHTTPClient
import BizOneModel
import BizOneStore
import Foundation
import Logging
import MetaEmulator
import MetaGraph
import Testing
import TestSupport

/// The team's inbox over the real `serve`, with the Meta emulator as Meta (issue 12): an agent
/// lists, reads and replies; statuses come back onto the reply; unread is per agent; notes stay
/// inside; outside the 24-hour window only a template goes; the role matrix holds.
@Suite("inbox API")
struct InboxAPITests {
    typealias S = SignInTests
    static let phoneNumberID = "106540352242922"

    /// An inbound text message from `from` (digits), `age` seconds old, as Meta posts it.
    static func inboundWebhook(from: String, name: String, text: String, wamid: String, age: TimeInterval) -> Data {
        let timestamp = Int(Date().timeIntervalSince1970 - age)
        return Data("""
            {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{
            "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000000","phone_number_id":"\(phoneNumberID)"},
            "contacts":[{"profile":{"name":"\(name)"},"wa_id":"\(from)"}],
            "messages":[{"from":"\(from)","id":"\(wamid)","timestamp":"\(timestamp)","type":"text","text":{"body":"\(text)"}}]}}]}]}
            """.utf8)
    }

    @Test(.timeLimit(.minutes(8)))
    func anAgentRepliesStatusesComeBackAndTheRulesOfTheWindowHold() async throws {
        var configuration = EmulatorConfiguration(port: 0, businessAccountID: "102290129340398", phoneNumberID: Self.phoneNumberID)
        configuration.timing = EmulatorTiming(reviewDelay: 0.1, sentDelay: 0.02, deliveredDelay: 0.02, readDelay: 0.02)
        let emulator = try await MetaEmulator.start(configuration, logger: Logger(label: "test.emulator"))
        defer { Task { await emulator.stop() } }
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        try workspace.write("pipelines/canned-responses.yaml", """
            apiVersion: bizone/v1
            kind: CannedResponse
            metadata:
              name: shipping-eta
            spec:
              shortcode: eta
              text: "Halo {{contact.name}}, pesanan dikirim dalam 2 hari kerja. Salam, {{agent.name}}"
              teams: [support]

            """)
        let environment = ServeTests.environment(graph: emulator.baseURL).merging(["BIZONE_SECRET_KEY": "inbox-test-key"]) { $1 }
        let serve = try await ServeProcess(workspace: workspace, arguments: ["pipelines"], environment: environment)
        defer { serve.stop() }
        await emulator.control.setWebhookBehaviour(WebhookBehaviour(url: serve.webhookURL))
        #expect(try await workspace.run(["apply", "pipelines", "--auto-approve"], environment: environment).status == 0)
        let store = try StateStore(path: workspace.statePath)
        let template = ResourceID(kind: .template, name: "delivery_update", language: "en_US")
        try await eventually("delivery_update approved") { try store.templateRecords()[template]?.status == "APPROVED" }

        var access: [String: String] = [:]
        for (user, email) in [("eka-agent", "eka.rahmawati@bizone.example"), ("fajar-agent", "fajar.nugroho@bizone.example"),
                              ("citra-editor", "citra.lestari@bizone.example"), ("ana-admin", "ana.wijaya@bizone.example")] {
            let token = try await S.invite(email, in: workspace)
            #expect(try await S.setPassword(serve, token: token, password: S.password).status == 200)
            access[user] = try await S.login(serve, email).string("accessToken")
        }

        // A customer writes; the inbox route assigns the conversation to an agent of support.
        _ = try await emulator.control.inbound(InboundRequest(from: "+6281234567890", name: "Siti Rahma", text: "Halo, pesanan saya sudah dikirim?"))
        try await eventually("the conversation") { try !store.conversations(status: nil, limit: nil).isEmpty }
        let conversation = try #require(try store.conversations(status: nil, limit: nil).first)
        try await eventually("its assignment") { try store.conversation(id: conversation.id)?.assignedUser != nil }
        let agent = try #require(try store.conversation(id: conversation.id)?.assignedUser)
        #expect(try store.slaFacts().first { $0.conversationID == conversation.id }?.route == "support-inbox", "the route that assigned it is kept")
        let other = agent == "eka-agent" ? "fajar-agent" : "eka-agent"
        let agentToken = try #require(access[agent]), otherToken = try #require(access[other])
        let editor0 = try #require(access["citra-editor"])

        let mine = try await HTTPAnswer.send(serve, .GET, "/api/conversations?assignee=me", bearer: agentToken)
        #expect(mine.status == 200, "\(mine.text)")
        let listed = try mine.array("conversations")
        #expect(listed.count == 1 && listed.first?["id"] == .int(Int(conversation.id)))
        #expect(listed.first?["unread"] == .int(1) && listed.first?["preview"] == .string("Halo, pesanan saya sudah dikirim?"))
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/conversations?assignee=me", bearer: otherToken).array("conversations").isEmpty)
        let counts = try await HTTPAnswer.send(serve, .GET, "/api/conversations/counts", bearer: agentToken).value()
        #expect(counts["mine"] == .int(1) && counts["all"] == .int(1) && counts["unassigned"] == .int(0), "\(counts)")

        // A reply inside the window reaches Meta, and its statuses come back onto it.
        let reply = try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(conversation.id)/messages",
                                              object: ["text": "Sudah, kemarin sore via JNE."], bearer: agentToken)
        #expect(reply.status == 202, "\(reply.text)")
        try await eventually("the reply at Meta") { await emulator.control.messages().contains { $0.text == "Sudah, kemarin sore via JNE." } }
        try await eventually("the reply read") {
            let thread = try await HTTPAnswer.send(serve, .GET, "/api/conversations/\(conversation.id)", bearer: agentToken).value()
            guard case .array(let messages)? = thread["messages"] else { return false }
            return messages.contains { $0["direction"] == .string("outbound") && $0["status"] == .string("read") }
        }
        let thread = try await HTTPAnswer.send(serve, .GET, "/api/conversations/\(conversation.id)", bearer: agentToken).value()
        guard case .array(let messages)? = thread["messages"] else { Issue.record("no messages: \(thread)"); return }
        #expect(messages.map { $0["direction"]?.stringValue } == ["inbound", "outbound"])
        let history = messages.last?["statusHistory"].flatMap { value -> [String]? in
            guard case .array(let items) = value else { return nil }
            return items.compactMap { $0["status"]?.stringValue }
        }
        #expect(history == ["sent", "delivered", "read"])
        #expect(messages.last?["author"] == .string(agent))

        // A canned response, filled in for this conversation, goes as text.
        let canned = try await HTTPAnswer.send(serve, .GET, "/api/canned-responses?conversation=\(conversation.id)", bearer: agentToken)
            .array("cannedResponses")
        let agentName = agent == "eka-agent" ? "Eka Rahmawati" : "Fajar Nugroho"
        let expected = "Halo Siti Rahma, pesanan dikirim dalam 2 hari kerja. Salam, \(agentName)"
        #expect(canned.map { $0["rendered"] } == [.string(expected)], "\(canned)")
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/canned-responses", bearer: editor0).array("cannedResponses").isEmpty)
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(conversation.id)/messages", object: ["canned": "shipping-eta"],
                                          bearer: agentToken).status == 202)
        try await eventually("the canned reply at Meta") { await emulator.control.messages().contains { $0.text == expected } }

        // Unread clears for the agent who read it only.
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(conversation.id)/read", object: [:], bearer: agentToken).status == 204)
        let afterRead = try await HTTPAnswer.send(serve, .GET, "/api/conversations", bearer: agentToken).array("conversations")
        let forOther = try await HTTPAnswer.send(serve, .GET, "/api/conversations", bearer: otherToken).array("conversations")
        #expect(afterRead.first?["unread"] == .int(0) && forOther.first?["unread"] == .int(1))
        // Reading sent Meta's read receipt for the customer's message.
        let inboundWamid = try #require(try store.inboundMessages(conversationID: conversation.id).last?.wamid)
        try await eventually("the read receipt at Meta") { await emulator.control.readReceipts() == [inboundWamid] }
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/conversations?unread=true", bearer: agentToken).array("conversations").isEmpty)

        // A note is stored and shown, with its mention, and never sent.
        let note = try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(conversation.id)/notes",
                                             object: ["body": "@\(other) pelanggan lama, cek resi ya"], bearer: agentToken)
        #expect(note.status == 201, "\(note.text)")
        #expect(try note.value()["mentions"] == .array([.string(other)]))

        // The role matrix: an editor may read but not reply.
        let editor = try #require(access["citra-editor"])
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/conversations/\(conversation.id)", bearer: editor).status == 200)
        let denied = try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(conversation.id)/messages", object: ["text": "hi"], bearer: editor)
        #expect(denied.status == 403 && denied.text.contains("conversations:reply"), "\(denied.text)")
        // An agent cannot resolve (conversations:close); an admin can.
        let admin = try #require(access["ana-admin"])
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(conversation.id)/status", object: ["status": "resolved"],
                                          bearer: agentToken).status == 403)
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(conversation.id)/status", object: ["status": "resolved"],
                                          bearer: admin).status == 200)

        // A customer who wrote 25 hours ago: text is refused with the window's end named; an
        // approved template with its parameters goes.
        #expect(try await postWebhook(serve.webhookURL, body: Self.inboundWebhook(from: "6281398765432", name: "Budi Santoso",
                                                                                   text: "Apakah ada diskon?", wamid: "wamid.old-1", age: 25 * 3600),
                                      secret: ServeTests.appSecret) == 200)
        try await eventually("the old conversation") { try store.conversations(status: nil, limit: nil).count == 2 }
        let old = try #require(try store.conversations(status: nil, limit: nil).first { $0.phone == "+6281398765432" })
        let text = try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(old.id)/messages", object: ["text": "Ada!"], bearer: admin)
        let lastInbound = try #require(old.lastInboundAt)
        #expect(text.status == 422 && text.text.contains("closed at \(Timestamps.format(lastInbound + 24 * 3600))"), "\(text.text)")
        let missing = try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(old.id)/messages",
                                                object: ["template": ["name": "delivery_update", "language": "en_US", "parameters": ["1": "Budi"]]],
                                                bearer: admin)
        #expect(missing.status == 422 && missing.text.contains("missing"), "\(missing.text)")
        let parameters = Dictionary(uniqueKeysWithValues: try Self.parameterKeys(of: template, store: store).map { ($0, "v-\($0)") })
        let templated = try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(old.id)/messages",
                                                  object: ["template": ["name": "delivery_update", "language": "en_US", "parameters": parameters]],
                                                  bearer: admin)
        #expect(templated.status == 202, "\(templated.text)")
        try await eventually("the template reply at Meta") {
            await emulator.control.messages().contains { $0.template == "delivery_update" && $0.waID == "6281398765432" }
        }
        // Replies go out in the order they were queued, and the note (queued before this) never did.
        let sent = await emulator.control.messages()
        #expect(!sent.contains { ($0.text ?? "").contains("cek resi") })
        #expect(sent.count == 3, "\(sent.map { $0.text ?? $0.template ?? "?" })")

        // Triage: labels and filters, assignment to a team member, counts per status.
        let labels = try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(old.id)/labels", object: ["add": ["vip", "discount"]],
                                               bearer: admin)
        #expect(try labels.value()["labels"] == .array([.string("discount"), .string("vip")]))
        let byLabel = try await HTTPAnswer.send(serve, .GET, "/api/conversations?label=vip", bearer: admin).array("conversations")
        #expect(byLabel.map { $0["id"] } == [.int(Int(old.id))])
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(old.id)/assignment", object: ["user": "nobody"],
                                          bearer: admin).status == 422)
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/conversations/\(old.id)/assignment", object: ["user": "fajar-agent", "team": "sales"],
                                          bearer: admin).status == 200)
        let resolved = try await HTTPAnswer.send(serve, .GET, "/api/conversations?status=resolved", bearer: admin).array("conversations")
        #expect(resolved.map { $0["id"] } == [.int(Int(conversation.id))])
        let search = try await HTTPAnswer.send(serve, .GET, "/api/conversations?q=DISKON", bearer: admin).array("conversations")
        #expect(search.map { $0["id"] } == [.int(Int(old.id))])
        // Paging: one per page, the cursor leads to the other, then the end.
        let first = try await HTTPAnswer.send(serve, .GET, "/api/conversations?limit=1", bearer: admin)
        let cursor = try first.string("nextCursor")
        let second = try await HTTPAnswer.send(serve, .GET, "/api/conversations?limit=1&cursor=\(cursor)", bearer: admin)
        let ids = try first.array("conversations").map { $0["id"] } + second.array("conversations").map { $0["id"] }
        #expect(Set(ids.compactMap { $0 }) == [.int(Int(old.id)), .int(Int(conversation.id))])
        #expect(try second.value()["nextCursor"] == nil)

        // Operators: an admin replays a stored event (already in the state: nothing changes);
        // an agent may not; an agent cannot pause a campaign, an admin can.
        let event = try #require(try store.webhookEvents(since: nil, ids: nil, limit: 1).first)
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/webhook-events/\(event.id)/replay", object: [:], bearer: agentToken).status == 403)
        let replayed = try await HTTPAnswer.send(serve, .POST, "/api/webhook-events/\(event.id)/replay", object: [:], bearer: admin)
        #expect(replayed.status == 200, "\(replayed.text)")
        #expect(try replayed.value()["changedAnything"] == .bool(false) && replayed.value()["event"] == .int(Int(event.id)))
        let events = try await HTTPAnswer.send(serve, .GET, "/api/webhook-events?limit=5", bearer: admin).array("events")
        #expect(events.count == 5 && events.first?["id"].flatMap { if case .int(let id) = $0 { id } else { nil } } ?? 0 > Int(event.id))
        let campaign = try #require(try store.appliedResources(of: [.campaign]).first?.id.name)
        let pausedByAgent = try await HTTPAnswer.send(serve, .POST, "/api/campaigns/\(campaign)/pause", object: [:], bearer: agentToken)
        #expect(pausedByAgent.status == 403 && pausedByAgent.text.contains("campaigns:pause"))
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/campaigns/\(campaign)/pause", object: ["reason": "stock check"], bearer: admin).status == 200)
        let campaigns = try await HTTPAnswer.send(serve, .GET, "/api/campaigns", bearer: editor).array("campaigns")
        #expect(campaigns.contains { $0["name"] == .string(campaign) })
        let templates = try await HTTPAnswer.send(serve, .GET, "/api/templates", bearer: editor).array("templates")
        let delivery = try #require(templates.first { $0["name"] == .string("delivery_update") })
        #expect(delivery["status"] == .string("APPROVED") && delivery["health"] == .string("Healthy") && delivery["sync"] == .string("Synced"),
                "\(delivery)")
        guard case .array(let history)? = delivery["history"] else { Issue.record("no history: \(delivery)"); return }
        #expect(!history.isEmpty)
        #expect(campaigns.allSatisfy { $0["forecast"]?["nextRuns"] != nil }, "\(campaigns)")
        let runs = try await HTTPAnswer.send(serve, .GET, "/api/apply-runs", bearer: admin).array("runs")
        #expect(runs.first?["actor"] == .string("cli-test"))

        // A contact opted out by hand and back, recorded with who did it.
        let optOut = try await HTTPAnswer.send(serve, .POST, "/api/contacts/%2B6281234567890/opt-out", object: [:], bearer: admin)
        #expect(optOut.status == 200 && optOut.text.contains(#""changed":"true""#), "\(optOut.text)")
        let optedOut = try await HTTPAnswer.send(serve, .GET, "/api/contacts?optedOut=true", bearer: admin).array("contacts")
        #expect(optedOut.contains { $0["phone"] == .string("+6281234567890") } && optedOut.allSatisfy { $0["optedOut"] == .bool(true) })
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/contacts/%2B6281234567890/opt-in", object: [:], bearer: admin).status == 200)
        #expect(try store.contactOptChanges(phone: "+6281234567890").map { "\($0.optedOut) \($0.by)" } == ["true ana-admin", "false ana-admin"])
        #expect(try store.isOptedOut(phone: "+6281234567890") == false)
    }

    static func parameterKeys(of template: ResourceID, store: StateStore) throws -> [String] {
        let spec = try #require(try store.appliedResource(template)?.content["spec"]?.decode(TemplateSpec.self))
        return TemplateMapping.sendParameterKeys(for: spec)
    }

    /// Reads the event stream until `until` holds for what arrived (or the stream ends).
    static func readStream(_ serve: ServeProcess, bearer: String, until: @Sendable (String) -> Bool,
                           onOpen: @Sendable () async throws -> Void) async throws -> String {
        var request = HTTPClientRequest(url: serve.baseURL + "/api/stream")
        request.headers.add(name: "Authorization", value: "Bearer \(bearer)")
        let response = try await webhookClient.execute(request, timeout: .seconds(120))
        #expect(response.status.code == 200)
        #expect(response.headers["Content-Type"].first == "text/event-stream")
        var text = ""
        var opened = false
        for try await buffer in response.body {
            text += String(buffer: buffer)
            if !opened, text.contains("\n\n") {
                opened = true
                try await onOpen()
            }
            if until(text) { break }
        }
        return text
    }

    @Test(.timeLimit(.minutes(5)))
    func theStreamCarriesConversationChangesToThoseWhoMayReadThem() async throws {
        let (workspace, serve) = try await S.signedInWorld()
        defer { serve.stop() }
        var access: [String: String] = [:]
        for (role, email) in [("agent", "eka.rahmawati@bizone.example"), ("admin", "ana.wijaya@bizone.example")] {
            let token = try await S.invite(email, in: workspace)
            #expect(try await S.setPassword(serve, token: token, password: S.password).status == 200)
            access[role] = try await S.login(serve, email).string("accessToken")
        }
        let webhook = Self.inboundWebhook(from: "6281234500001", name: "Rina", text: "Halo!", wamid: "wamid.stream-1", age: 0)
        let url = serve.webhookURL
        let agentStream = try await Self.readStream(serve, bearer: try #require(access["agent"]), until: { $0.contains("event: conversation") }) {
            let status = try await postWebhook(url, body: webhook, secret: "x-app-secret")
            #expect(status == 200)
        }
        #expect(agentStream.contains(": streaming conversation changes since"), "\(agentStream)")
        let event = try #require(agentStream.components(separatedBy: "event: conversation\ndata: ").last?.split(separator: "\n").first)
        let value = try JSONValue.parse(Data(event.utf8))
        #expect(value["contact"]?["name"] == .string("Rina") && value["unread"] == .int(1), "\(value)")
        // An admin may read campaigns too; a later stream resumes from its cursor.
        let cursor = try #require(agentStream.components(separatedBy: "id: ").last?.split(separator: "\n").first)
        var request = HTTPClientRequest(url: serve.baseURL + "/api/stream?since=\(cursor)")
        request.headers.add(name: "Authorization", value: "Bearer \(try #require(access["admin"]))")
        let response = try await webhookClient.execute(request, timeout: .seconds(120))
        var text = ""
        for try await buffer in response.body {
            text += String(buffer: buffer)
            if text.contains("event: conversation") { break }
        }
        #expect(text.contains(": streaming conversation, campaign-run changes since \(cursor)"), "\(text)")
        #expect(text.contains("\"name\":\"Rina\""))
        // Without a token: 401, like every signed-in route.
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/stream").status == 401)
    }
}
