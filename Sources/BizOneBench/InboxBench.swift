import BizOneModel
import BizOneStore
import Foundation

/// The inbox part of `make bench`: a state holding `conversations` conversations with
/// `messagesEach` inbound messages each (100,000 and 10: a million messages), a quarter
/// assigned to the viewer, some labelled and read; then the list as the API asks for it, page
/// by page, timed in the store (the SQL is the cost; the signed-in HTTP guard adds the ~0.1 ms
/// the sign-in bench shows).
struct InboxBench {
    var conversations: Int
    var messagesEach: Int
    var samples: Int

    func run() throws -> [[String]] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bizone-inbox-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try StateStore(path: directory.appendingPathComponent("state.db").path)
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        print("  seeding \(conversations) conversations x \(messagesEach) messages...", terminator: "")
        fflush(nil)
        let seedStarted = ContinuousClock.now
        var eventID: Int64 = 0
        var batch: [(InboundMessageEvent, Int64)] = []
        for round in 0..<messagesEach {
            for index in 0..<conversations {
                eventID += 1
                let digits = String(6281_000_000_000 + index)
                let text = index % 1000 == 42 ? "where is order \(index)?" : "message \(round) of customer \(index)"
                batch.append((InboundMessageEvent(wamid: "wamid.bench-\(index)-\(round)", waID: digits, userID: nil, profileName: "Customer \(index)",
                                                  phoneNumberID: "106540352242922", at: start + Double(round * conversations + index), type: "text",
                                                  text: text, raw: .object(["type": .string("text")])), eventID))
                if batch.count == 5_000 {
                    _ = try store.recordInbound(batch: batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { _ = try store.recordInbound(batch: batch) }
        for id in stride(from: Int64(1), through: Int64(conversations), by: 4) {
            try store.assignConversation(id: id, user: "eka", team: "support")
        }
        for id in stride(from: Int64(2), through: Int64(conversations), by: 50) {
            _ = try store.updateLabels(conversationID: id, add: ["vip"], remove: [])
            try store.markConversation(id: id, user: "eka", read: true)
        }
        let seedSeconds = (ContinuousClock.now - seedStarted).milliseconds / 1000
        print(String(format: " %.1f s (%.0f messages/s)", seedSeconds, Double(conversations * messagesEach) / seedSeconds))

        let now = start + Double(conversations * messagesEach) + 60
        var deepCursor: ConversationCursor?
        var rows: [[String]] = [["query (25 per page)", "p50 ms", "p99 ms", "rows"]]
        func measure(_ label: String, _ query: () -> ConversationQuery) throws {
            var times: [Double] = []
            var count = 0
            for _ in 0..<samples {
                let began = ContinuousClock.now
                count = try store.conversationPage(query(), at: now).items.count
                times.append((ContinuousClock.now - began).milliseconds)
            }
            times.sort()
            rows.append([label, String(format: "%.2f", times[times.count / 2]), String(format: "%.2f", times[min(times.count - 1, times.count * 99 / 100)]),
                         "\(count)"])
        }
        // The cursor 40 pages down, for the deep page.
        var query = ConversationQuery(viewer: "eka")
        for _ in 0..<40 { query.after = try store.conversationPage(query, at: now).next }
        deepCursor = query.after
        try measure("first page, all") { ConversationQuery(viewer: "eka") }
        try measure("page 41 by cursor") { ConversationQuery(viewer: "eka", after: deepCursor) }
        try measure("assigned to me") { ConversationQuery(viewer: "eka", assignee: .user("eka")) }
        try measure("unassigned") { ConversationQuery(viewer: "eka", assignee: .unassigned) }
        try measure("label vip") { ConversationQuery(viewer: "eka", label: "vip") }
        try measure("unread for me") { ConversationQuery(viewer: "eka", unreadOnly: true) }
        try measure("status pending (none)") { ConversationQuery(viewer: "eka", status: .pending) }
        try measure("search \"order\" (0.1 % match)") { ConversationQuery(viewer: "eka", search: "order") }
        var counts: [Double] = []
        for _ in 0..<samples {
            let began = ContinuousClock.now
            _ = try store.conversationCounts(viewer: "eka", at: now)
            counts.append((ContinuousClock.now - began).milliseconds)
        }
        counts.sort()
        rows.append(["queue counts", String(format: "%.2f", counts[counts.count / 2]), String(format: "%.2f", counts[counts.count * 99 / 100]), "-"])
        return rows
    }
}
