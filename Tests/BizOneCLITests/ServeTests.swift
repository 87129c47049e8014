import AsyncHTTPClient
import BizOneModel
import BizOneStore
import Foundation
import Hummingbird
import Logging
import MetaEmulator
import MetaGraph
import NIOCore
import ServiceLifecycle
import Testing
import TestSupport

/// `bizone serve` end to end over real HTTP (issue 5's acceptance).
@Suite("bizone serve")
struct ServeTests {
    static let appSecret = "emulator-app-secret"

    static func environment(graph: String? = nil) -> [String: String] {
        var environment = ["META_ACCESS_TOKEN": "emulator-access-token", "META_APP_SECRET": appSecret,
                           "META_VERIFY_TOKEN": "emulator-verify-token", "CRM_WEBHOOK_SECRET": "crm-secret"]
        if let graph { environment["BIZONE_GRAPH_URL"] = graph }
        return environment
    }

    @Test(.timeLimit(.minutes(5)))
    func reviewsStatusesAndEveryMetaPayloadReachTheServer() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let serve = try await ServeProcess(workspace: workspace, arguments: ["pipelines"], environment: Self.environment())
        defer { serve.stop() }

        var configuration = EmulatorConfiguration(port: 0, businessAccountID: "102290129340398", phoneNumberID: "106540352242922",
                                                  webhookURL: serve.webhookURL)
        configuration.timing = EmulatorTiming(reviewDelay: 0.1, sentDelay: 0.02, deliveredDelay: 0.02, readDelay: 0.02)
        configuration.rules = try EmulatorRules.parse("""
            review:
              - name: "^back_in_stock$"
                language: id
                verdict: reject
                reason: INVALID_FORMAT
                rejectionReason: "Your template has parameters placed next to each other."
                recommendation: "Separate parameters with descriptive text."
            """)
        let emulator = try await MetaEmulator.start(configuration, logger: Logger(label: "test.emulator"))
        defer { Task { await emulator.stop() } }
        let environment = Self.environment(graph: emulator.baseURL)
        #expect(try await workspace.run(["apply", "pipelines", "--auto-approve"], environment: environment).status == 0)

        // Template reviews arrive as webhooks: the stored reason is the emulator's.
        let store = try StateStore(path: workspace.statePath)
        let rejected = ResourceID(kind: .template, name: "back_in_stock", language: "id")
        try await eventually("the rejection webhook") { try store.templateRecords()[rejected]?.status == "REJECTED" }
        let record = try #require(try store.templateRecords()[rejected])
        let atMeta = try #require(await emulator.control.templates().first { $0.name == "back_in_stock" && $0.language == "id" })
        #expect(record.reason == atMeta.rejectedReason)
        #expect(record.reason == "INVALID_FORMAT")
        #expect(record.reasonDetail?.contains("parameters placed next to each other") == true, "\(record.reasonDetail ?? "")")
        let status = try await workspace.run(["status", "--json"], environment: environment)
        #expect(status.stdout.contains("\"reason\" : \"INVALID_FORMAT\""))

        // A send's statuses move the ledger forward.
        let client = LiveGraphClient(configuration: GraphClientConfiguration(
            baseURL: emulator.baseURL, businessAccountID: "102290129340398", phoneNumberID: "106540352242922",
            accessToken: "emulator-access-token"))
        let sent = try await client.send(.template(to: "+6281234567890", name: "delivery_update", language: "en_US", components: [
            SendComponent(type: "body", parameters: ["Siti", "A-1", "JNE", "May 2"].map { .text($0) })]))
        let wamid = try #require(sent.messageID)
        try await eventually("the read status") { try store.message(wamid: wamid)?.status == "read" }
        #expect(try store.messageTransitions(wamid: wamid).map(\.status) == ["sent", "delivered", "read"])

        // Every Meta payload, signed, is accepted and processed without error.
        let webhooks = try MetaFixtures.webhooks()
        #expect(webhooks.count >= 30)
        let before = try store.eventCounts()
        for (file, body) in webhooks {
            #expect(try await postWebhook(serve.webhookURL, body: body, secret: Self.appSecret) == 200, "\(file)")
        }
        try await eventually("processing of the fixtures") { try store.eventBacklog() == 0 }
        let after = try store.eventCounts()
        let failures = try store.webhookEvents(since: nil, ids: nil, limit: nil).filter { $0.processingError != nil }
        #expect(after.failed == 0, "\(failures.map { "\($0.id): \($0.processingError ?? "")" })")
        #expect(after.accepted > before.accepted)

        // Tampered and unsigned payloads are refused and leave no trace.
        let original = try MetaFixtures.data("webhook-messages-text")
        var tampered = original
        tampered[tampered.count / 2] ^= 0x01
        #expect(try await postWebhook(serve.webhookURL, body: tampered, secret: nil,
                                      signature: WebhookSignature.sign(original, secret: Self.appSecret)) == 401)
        #expect(try await postWebhook(serve.webhookURL, body: Data(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8), secret: nil) == 401)
        let final = try store.eventCounts()
        #expect(final.accepted == after.accepted && final.rejected == after.rejected)
    }

    /// SIGKILL while events pour in: everything answered 200 is in the log and gets processed.
    @Test(.timeLimit(.minutes(6)))
    func nothingAnswered200IsLostWhenTheServerIsKilled() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        var serve = try await ServeProcess(workspace: workspace, arguments: ["pipelines"], environment: Self.environment())
        let url = serve.webhookURL
        let total = 20_000
        let accepted = Locked<[String]>()
        let poster = Task {
            await withTaskGroup(of: Void.self) { group in
                var next = 0
                func add(_ index: Int) {
                    group.addTask {
                        let body = Self.statusEvent(wamid: "wamid.kill-\(index)")
                        if let code = try? await postWebhook(url, body: body, secret: Self.appSecret), code == 200 { accepted.append("wamid.kill-\(index)") }
                    }
                }
                while next < 16 { add(next); next += 1 }
                while await group.next() != nil, next < total, !Task.isCancelled { add(next); next += 1 }
            }
        }
        await eventually("a few thousand accepted events") { accepted.count >= 3_000 }
        await serve.kill()
        poster.cancel()
        _ = await poster.value
        let answered = accepted.all
        #expect(answered.count >= 3_000)

        serve = try await ServeProcess(workspace: workspace, arguments: ["pipelines"], environment: Self.environment())
        defer { serve.stop() }
        let store = try StateStore(path: workspace.statePath)
        try await eventually("the backlog after restart") { try store.eventBacklog() == 0 }
        var missing: [String] = []
        for wamid in answered where try store.message(wamid: wamid) == nil { missing.append(wamid) }
        #expect(missing.isEmpty, "\(missing.count) events answered 200 were lost, e.g. \(missing.prefix(3))")
        #expect(try store.eventCounts().failed == 0)
    }

    @Test(.timeLimit(.minutes(4)))
    func aForwardTargetFailingThreeTimesGetsEachEventOnceAfterwards() async throws {
        let receiver = try await FlakyReceiver.start(failuresPerEvent: 3)
        defer { Task { await receiver.stop() } }
        let workspace = try Workspace()
        try workspace.write("p/integration.yaml", try String(contentsOf: Workspace.packageRoot.appendingPathComponent("pipelines/integration.yaml"), encoding: .utf8))
        try workspace.write("p/route.yaml", """
            apiVersion: bizone/v1
            kind: WebhookRoute
            metadata: {name: everything-to-crm}
            spec:
              actions:
                - type: forward
                  url: \(receiver.url)
                  secret: {env: CRM_WEBHOOK_SECRET}
                  maxAttempts: 8
                  backoff: 100ms

            """)
        let applied = try await workspace.run(["apply", "p", "--auto-approve"], environment: Self.environment())
        #expect(applied.status == 0, "\(applied.output)")
        let serve = try await ServeProcess(workspace: workspace, arguments: ["p"], environment: Self.environment())
        defer { serve.stop() }
        let bodies = (0..<5).map { Self.statusEvent(wamid: "wamid.forward-\($0)") }
        for body in bodies { #expect(try await postWebhook(serve.webhookURL, body: body, secret: Self.appSecret) == 200) }

        await eventually("five deliveries") { receiver.delivered.count == 5 }
        // Every forward is final in the state (delivered, four attempts each), so none is due
        // again: nothing more can arrive, and the receiver's counts are the whole story.
        let store = try StateStore(path: workspace.statePath)
        try await eventually("five forwards recorded delivered") {
            try store.forwardDeliveries(status: "delivered").count == 5
        }
        #expect(try store.forwardDeliveries(status: nil).count == 5)
        for delivery in try store.forwardDeliveries(status: nil) {
            #expect(try store.forwardAttempts(deliveryID: delivery.id).count == 4)
        }
        let delivered = receiver.delivered
        #expect(delivered.count == 5, "each event exactly once after its failures")
        #expect(Set(delivered.map(\.body)) == Set(bodies))
        #expect(delivered.allSatisfy { WebhookSignature.verify($0.body, header: $0.signature, secret: "crm-secret") })
        #expect(receiver.attempts.values.allSatisfy { $0 == 4 }, "\(receiver.attempts)")
    }

    static func statusEvent(wamid: String) -> Data {
        Data(#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100100","phone_number_id":"106540352242922"},"statuses":[{"id":"\#(wamid)","status":"delivered","timestamp":"1764400000","recipient_id":"6281234567890"}]}}]}]}"#.utf8)
    }
}

/// A forward target that fails the first N deliveries of each event, then accepts.
final class FlakyReceiver: Sendable {
    struct Delivery: Sendable { var body: Data; var signature: String? }
    private struct State {
        var attemptsByEvent: [String: Int] = [:]
        var deliveries: [Delivery] = []
    }

    private let state = Locked(State())
    private let failuresPerEvent: Int
    private let port = Promise<Int>()
    private let running = Locked<(group: ServiceGroup, task: Task<Void, any Error>)?>(nil)

    init(failuresPerEvent: Int) { self.failuresPerEvent = failuresPerEvent }

    var delivered: [Delivery] { state.current.deliveries }
    var attempts: [String: Int] { state.current.attemptsByEvent }
    var url: String { "http://127.0.0.1:\(port.current ?? 0)/hook" }

    static func start(failuresPerEvent: Int) async throws -> FlakyReceiver {
        let receiver = FlakyReceiver(failuresPerEvent: failuresPerEvent)
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let body = Data(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            let key = request.headers[values: .init("X-BizOne-Event-Id")!].first ?? String(decoding: body, as: UTF8.self)
            return receiver.receive(key: key, body: body, signature: request.headers[values: .init("X-BizOne-Signature-256")!].first)
        }
        let quiet = Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in receiver.port.fulfill(channel.localAddress?.port ?? 0) }, logger: quiet)
        // Graceful shutdown, not cancellation, stops it (see the emulator tests' WebhookReceiver).
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: quiet))
        receiver.running.withValue { $0 = (group, Task { try await group.run() }) }
        _ = try await receiver.port.value("the receiver's port")
        return receiver
    }

    private func receive(key: String, body: Data, signature: String?) -> HTTPResponse.Status {
        state.withValue { state in
            let attempt = state.attemptsByEvent[key, default: 0] + 1
            state.attemptsByEvent[key] = attempt
            guard attempt > failuresPerEvent else { return .internalServerError }
            state.deliveries.append(Delivery(body: body, signature: signature))
            return .ok
        }
    }

    func stop() async {
        guard let (group, task) = running.current else { return }
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
