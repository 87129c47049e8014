import BizOneModel
import BizOneStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /api/stream`: Server-Sent Events of what changes for the signed-in person, filtered by
/// their permissions: `conversation` (the conversation as the list shows it to them) with
/// `conversations:read`, `campaign-run` (status and progress by recipient state) with
/// `campaigns:read`.
///
/// Changes are read from the state every `interval`, not from this process's memory, so a
/// change made by any server sharing the state reaches every stream. Each event's `id` is the
/// cursor: a client that reconnects with `Last-Event-ID` (or `?since=`) gets what changed
/// since, the same second possibly again (events are whole states, so a repeat is harmless).
/// A stream ends after `maxDuration` (clients reconnect, as EventSource does by itself) and at
/// once when serve shuts down. A reply's delivery status moves its conversation, so it comes
/// as that conversation's event (fetch the thread for the message itself).
struct StreamRoutes: Sendable {
    let store: StateStore
    let now: @Sendable () -> Date
    var interval: Duration = .seconds(1)
    var maxDuration: TimeInterval = 60
    var heartbeat: TimeInterval = 15

    struct CampaignRun: Encodable, Equatable {
        var id: Int64
        var campaign: String
        var status: String
        var progress: [String: Int]
    }

    func register(on router: inout GuardedRouter) {
        router.get("/api/stream", .signedIn) { request, _, principal in
            let principal = try MeRoutes.required(principal)
            let store = self.store
            let matrix = Guardian.matrix(try await Blocking.run { try store.roles() })
            let conversations = matrix.allows(principal.user.roles, Permission("conversations", "read"))
            let campaigns = matrix.allows(principal.user.roles, Permission("campaigns", "read"))
            let resume = HTTPField.Name("Last-Event-ID").flatMap { request.headers[$0] } ?? QueryItems(request.uri.query)["since"]
            let start = resume.flatMap(Timestamps.parse) ?? now()
            let viewer = principal.user.name
            let settings = self
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                            body: ResponseBody { writer in
                try await settings.stream(to: &writer, viewer: viewer, from: start, conversations: conversations, campaigns: campaigns)
                try await writer.finish(nil)
            })
        }
    }

    private func stream(to writer: inout any ResponseBodyWriter, viewer: String, from start: Date, conversations: Bool,
                        campaigns: Bool) async throws {
        var cursor = start
        var runs: [Int64: CampaignRun] = [:]
        let began = now()
        var lastWrite = began
        let kinds = [conversations ? "conversation" : nil, campaigns ? "campaign-run" : nil].compactMap { $0 }
        try await writer.write(ByteBuffer(string: "retry: 2000\n: streaming \(kinds.isEmpty ? "nothing" : kinds.joined(separator: ", ")) "
                                          + "changes since \(Timestamps.format(start))\n\n"))
        // Each round checks for shutdown, so serve stops within one interval.
        while now().timeIntervalSince(began) < maxDuration, !Task.isShuttingDownGracefully, !Task.isCancelled {
            let at = now()
            var text = ""
            if conversations {
                let changed = try await Blocking.run { [store, cursor] in try store.conversationsChanged(since: cursor, viewer: viewer, limit: 200, at: at) }
                for item in changed.items {
                    text += Self.event("conversation", id: Timestamps.format(changed.next), ConversationJSON.summary(item, window: 24 * 3600))
                }
                cursor = changed.next
            }
            if campaigns {
                let current = try await Blocking.run { [store] in try Self.activeRuns(store) }
                for run in current where runs[run.id] != run {
                    text += Self.event("campaign-run", id: Timestamps.format(cursor), run)
                    runs[run.id] = run
                }
            }
            if text.isEmpty, now().timeIntervalSince(lastWrite) >= heartbeat { text = ": keep-alive\n\n" }
            if !text.isEmpty {
                try await writer.write(ByteBuffer(string: text))
                lastWrite = now()
            }
            try await Task.sleep(for: interval)
        }
    }

    /// Runs not finished, and those finished in the last minute (so their last state is sent).
    static func activeRuns(_ store: StateStore) throws -> [CampaignRun] {
        let recent = Date() - 60
        return try store.campaignRuns().filter { run in
            [.queued, .running, .paused].contains(run.status) || (run.finishedAt.map { $0 > recent } ?? false)
        }.map { run in
            CampaignRun(id: run.id, campaign: run.campaign, status: run.status.rawValue, progress: try store.campaignRunCounts(runID: run.id).byState)
        }
    }

    static func event(_ name: String, id: String, _ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamps.format(date))
        }
        let data = (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        return "id: \(id)\nevent: \(name)\ndata: \(data)\n\n"
    }
}
