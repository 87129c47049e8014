import BizOneModel
@testable import BizOneStore
import Foundation
import Testing

@Suite("WAL checkpoints in the background")
struct CheckpointTests {
    /// Bodies of ~1.3 KB, distinct, so a group of them fills well over SQLite's 1,000-page
    /// automatic checkpoint threshold.
    static func group(_ range: ClosedRange<Int>) -> [IncomingWebhook] {
        let padding = String(repeating: "x", count: 1_300)
        return range.map { EventFixture.webhook(#"{"object":"whatsapp_business_account","entry":[{"id":"\#($0)","changes":[],"p":"\#(padding)"}]}"#) }
    }

    @Test("with checkpoints in the background, commits leave the log to checkpoint(), which copies it all and lets the writer start it over")
    func backgroundCheckpoints() throws {
        try TemporaryStore.with { store in
            try store.checkpointInBackground()
            _ = try store.appendWebhookEvents(Self.group(1...4_000))
            // Automatic checkpoints would have copied the log at that commit, and this write
            // would have started it over: the log would be a few pages long.
            _ = try store.appendWebhookEvents(Self.group(4_001...4_001))
            let first = try store.checkpoint()
            #expect(first.walPages > 1_000, "the commits left the log alone: \(first)")
            #expect(first.checkpointedPages == first.walPages, "no reader held it back: \(first)")

            _ = try store.appendWebhookEvents(Self.group(4_002...4_002))
            let second = try store.checkpoint()
            #expect(second.walPages < 100, "the writer started the log over once it was copied: \(second)")
            #expect(try store.webhookEvents(after: 0, limit: 10_000).count == 4_002)
        }
    }

    @Test("without it, commits checkpoint as SQLite does by default")
    func automaticCheckpoints() throws {
        try TemporaryStore.with { store in
            _ = try store.appendWebhookEvents(Self.group(1...4_000))
            _ = try store.appendWebhookEvents(Self.group(4_001...4_001))
            #expect(try store.checkpoint().walPages < 100)
        }
    }
}
