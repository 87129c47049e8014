import BizOneModel
import Foundation
import Logging
import MetaEmulator
import MetaGraph
import Testing

/// The emulator plays Meta against the real server: handshake first, then signed webhooks,
/// duplicates included.
@Suite struct EmulatorEndToEndTests {
    static let quiet = Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func emulatorHandshakesAndDeliversSignedWebhooks() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let configuration = EmulatorConfiguration(
                port: 0, appSecret: ServerHarness.appSecret, verifyToken: ServerHarness.verifyToken,
                webhookURL: h.baseURL + ServerHarness.path, webhookBehaviour: WebhookBehaviour(duplicate: true))
            let emulator = try await MetaEmulator.start(configuration, logger: Self.quiet)
            do {
                try await emulator.control.inbound(InboundRequest(from: "+6281234567890", name: "Siti", text: "halo dari emulator"))
                #expect(await emulator.control.waitForWebhooks())
                let attempts = await emulator.control.webhookAttempts()
                #expect(!attempts.isEmpty)
                #expect(attempts.allSatisfy { $0.ok && $0.status == 200 }, "\(attempts)")

                let events = try h.events()
                #expect(events.count == 1)
                let event = try #require(events.first)
                #expect(event.outcome == .accepted)
                #expect(event.deliveries >= 2)
                let envelope = try JSONDecoder().decode(WebhookEnvelope.self, from: event.body)
                #expect(envelope.entry.first?.changes.first?.value.messages?.first?.text?.body == "halo dari emulator")
                #expect(h.logs.all.contains { $0.contains("webhook verified") })
            } catch {
                await emulator.stop()
                throw error
            }
            await emulator.stop()
        }
    }
}
