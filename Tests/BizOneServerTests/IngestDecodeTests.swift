import BizOneEngine
import BizOneModel
@testable import BizOneServer
import BizOneStore
import Foundation
import Testing
import TestSupport

/// The server decodes each body before its 200 and hands the items to the processor, which then
/// does not parse the stored body again. That is only right if both ways give the same items:
/// for every webhook Meta documents, what `admit` decodes equals what the processor would decode
/// from the row the event log keeps (same bytes, same stored receive time).
@Suite struct IngestDecodeTests {
    @Test func itemsDecodedAtIngestEqualThoseDecodedFromTheLog() throws {
        let names = MetaFixtures.names.filter { $0.hasPrefix("webhook-") }
        #expect(names.count > 10)
        try withTemporaryDirectory(prefix: "bizone-ingest-decode") { directory in
            let store = try StateStore(path: directory.path("state.db"))
            // A time with sub-millisecond digits: the log keeps milliseconds.
            let now = Date(timeIntervalSince1970: 1_750_000_000.123_456)
            for name in names {
                let body = try MetaFixtures.data(name)
                let (event, items) = WebhookRoutes.admit(body, path: "/hook", now: now)
                guard event.outcome == .accepted else {
                    #expect(items == nil, "\(name): a rejected body hands nothing over")
                    continue
                }
                let held = try #require(items, "\(name)")
                let id = try #require(try store.appendWebhookEvents([event]).first)
                let stored = try #require(try store.webhookEvent(id: id))
                #expect(stored.receivedAt == event.receivedAt, "\(name)")
                #expect(try EventDecoder.decodeItems(stored.body, receivedAt: stored.receivedAt) == held, "\(name)")
            }
        }
    }

    @Test func aBodyThatIsNotAnEnvelopeIsRejectedWithItsReason() {
        let (notJSON, none) = WebhookRoutes.admit(Data("{".utf8), path: "/hook")
        #expect(notJSON.outcome == .rejected)
        #expect(notJSON.rejectReason?.hasPrefix("body is not valid JSON") == true)
        #expect(none == nil)
        let (noEntry, _) = WebhookRoutes.admit(Data(#"{"object":"x"}"#.utf8), path: "/hook")
        #expect(noEntry.rejectReason == #"missing array field "entry""#)
    }
}
