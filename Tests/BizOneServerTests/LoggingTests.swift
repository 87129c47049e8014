import Foundation
import Testing
import TestSupport

/// Logs are structured and never carry bodies or secrets (the harness checks the secrets after
/// every test; this one checks bodies and queries).
@Suite struct LoggingTests {
    @Test func logsCarryNeitherBodiesNorQueries() async throws {
        let marker = "unmistakable-body-text-7731"
        let body = Data(#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"id":"w","timestamp":"1","type":"text","text":{"body":"\#(marker)"}}]}}]}]}"#.utf8)
        try await ServerHarness.run { (h: ServerHarness) async throws in
            #expect(try await h.post(body).status == 200)
            #expect(try await h.post(body, signature: .none).status == 401)
            #expect(try await h.post(Data(marker.utf8)).status == 400)
            _ = try await h.get("\(ServerHarness.path)?hub.mode=subscribe&hub.challenge=\(marker)&hub.verify_token=\(ServerHarness.verifyToken)")
            let lines = h.logs.all
            #expect(lines.contains { $0.contains("webhook signature refused") })
            #expect(lines.contains { $0.contains("route=/api/webhooks/whatsapp") && $0.contains("status=200") })
            for line in lines {
                #expect(!line.contains(marker), "log line carries a body or query: \(line)")
            }
        }
    }
}
