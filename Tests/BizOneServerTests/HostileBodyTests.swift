import BizOneModel
import BizOneStore
import Foundation
import Testing
import TestSupport

/// Signed bodies that once crashed `bizone serve` (issue 9 §1): each is answered 400, stored
/// as rejected (so it is on disk and never processed), and the server keeps serving.
@Suite struct HostileBodyTests {
    static let brokenSurrogate = Data(#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"x":"\ud83d\u00e9"}}]}]}"#.utf8)
    static let deeplyNested = Data(#"{"object":"whatsapp_business_account","entry":["#.utf8)
        + Data(repeating: UInt8(ascii: "["), count: 10_000) + Data(repeating: UInt8(ascii: "]"), count: 10_000) + Data("]}".utf8)

    @Test(arguments: [("broken surrogate", brokenSurrogate), ("10,000 levels deep", deeplyNested)])
    func isRefusedAndStoredAsRejected(name: String, body: Data) async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let reply = try await h.post(body)
            #expect(reply.status == 400, "\(name): \(reply.text)")
            let events = try h.events()
            #expect(events.count == 1)
            #expect(events.first?.outcome == .rejected)
            #expect(events.first?.body == body)
            // Still serving: a well-formed event after it is accepted.
            #expect(try await h.post(try MetaFixtures.data("webhook-status-sent.json")).status == 200)
            #expect(try await h.get("/api/health").status == 200)
        }
    }
}
