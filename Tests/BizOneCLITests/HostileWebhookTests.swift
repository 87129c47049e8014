import AsyncHTTPClient
import BizOneModel
import BizOneStore
import Foundation
import Testing

/// The real `bizone serve` process against the signed bodies that once killed it (issue 9 §1):
/// a broken surrogate escape (an arithmetic trap) and 10,000 levels of nesting (a stack
/// overflow). Each is answered 400 and stored as rejected; the process keeps serving.
@Suite("bizone serve survives hostile webhooks")
struct HostileWebhookTests {
    @Test(.timeLimit(.minutes(3)))
    func hostileSignedBodiesAreRefusedAndTheServerKeepsServing() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let serve = try await ServeProcess(workspace: workspace, arguments: ["pipelines"], environment: ServeTests.environment())
        defer { serve.stop() }

        let surrogate = Data(#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"x":"\ud83d\u00e9"}}]}]}"#.utf8)
        let nested = Data(#"{"object":"whatsapp_business_account","entry":["#.utf8)
            + Data(repeating: UInt8(ascii: "["), count: 10_000) + Data(repeating: UInt8(ascii: "]"), count: 10_000) + Data("]}".utf8)
        for body in [surrogate, nested] {
            #expect(try await postWebhook(serve.webhookURL, body: body, secret: ServeTests.appSecret) == 400)
        }
        #expect(serve.process.isRunning)
        let health = try await webhookClient.execute(HTTPClientRequest(url: serve.baseURL + "/api/health"), timeout: .seconds(60))
        #expect(health.status.code == 200)

        let store = try StateStore(path: workspace.statePath)
        let events = try store.webhookEvents(since: nil, ids: nil, limit: nil)
        #expect(events.map(\.outcome) == [.rejected, .rejected])
        #expect(events.map(\.body) == [surrogate, nested])
    }
}
