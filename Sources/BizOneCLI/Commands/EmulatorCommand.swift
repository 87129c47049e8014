import ArgumentParser
import Foundation
import Logging
import MetaEmulator

struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Run a local stand-in for Meta's Graph API: template review, sends, signed webhooks, limits.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Address to listen on.") var host = "127.0.0.1"
    @Option(name: .long, help: "Port to listen on (0 picks a free one).") var port = 8089
    @Option(name: .long, help: "Access token clients must send.") var accessToken: String?
    @Option(name: .long, help: "App secret that signs webhooks.") var appSecret: String?
    @Option(name: .long, help: "Verify token for the webhook handshake.") var verifyToken: String?
    @Option(name: .long, help: "WhatsApp Business Account id.") var businessAccountId: String?
    @Option(name: .long, help: "Phone number id.") var phoneNumberId: String?
    @Option(name: .long, help: "Display phone number.") var displayPhoneNumber: String?
    @Option(name: .long, help: "Where to post webhooks (e.g. http://127.0.0.1:8080/api/webhooks/whatsapp).") var webhookURL: String?
    @Option(name: .long, help: "Rules file (YAML or JSON): review verdicts, failing recipients, limits, timing.") var rules: String?
    @Option(name: .long, help: "Seed for ids, so runs are repeatable.") var seed: UInt64 = 1
    @Option(name: .long, help: "Throughput limit per phone number (0 = unlimited).") var messagesPerSecond: Double?
    @Option(name: .long, help: "Seconds before a new template is reviewed.") var reviewDelay: Double?

    func run() async throws {
        let logger = global.logger("bizone.emulator")
        var configuration = EmulatorConfiguration()
        if let rules { configuration.rules = try EmulatorRules.load(path: rules) }
        configuration.host = host
        configuration.port = port
        configuration.seed = seed
        if let accessToken { configuration.accessToken = accessToken }
        if let appSecret { configuration.appSecret = appSecret }
        if let verifyToken { configuration.verifyToken = verifyToken }
        if let businessAccountId { configuration.businessAccountID = businessAccountId }
        if let phoneNumberId { configuration.phoneNumberID = phoneNumberId }
        if let displayPhoneNumber { configuration.displayPhoneNumber = displayPhoneNumber }
        if let webhookURL { configuration.webhookURL = webhookURL }
        if let messagesPerSecond { configuration.limits.messagesPerSecond = messagesPerSecond }
        if let reviewDelay { configuration.timing.reviewDelay = reviewDelay }
        let emulator = try await MetaEmulator.start(configuration, logger: logger)
        // What is in force: the rules file's limits and timing applied on top of the flags.
        configuration = emulator.configuration
        let defaults = EmulatorConfiguration()
        let rows: [(String, String)] = [
            ("listening", emulator.baseURL),
            ("business account id", configuration.businessAccountID),
            ("phone number id", configuration.phoneNumberID),
            ("display phone number", configuration.displayPhoneNumber),
            ("access token", Self.describeSecret(configuration.accessToken, isDefault: configuration.accessToken == defaults.accessToken)),
            ("app secret", Self.describeSecret(configuration.appSecret, isDefault: configuration.appSecret == defaults.appSecret)),
            ("verify token", configuration.verifyToken.map { Self.describeSecret($0, isDefault: $0 == defaults.verifyToken) } ?? "none (no handshake)"),
            ("webhook url", configuration.webhookURL ?? "none"),
            ("throughput", configuration.limits.messagesPerSecond == 0 ? "unlimited" : "\(configuration.limits.messagesPerSecond) msg/s"),
            ("review delay", "\(configuration.timing.reviewDelay) s"),
            ("rules", rules ?? "default (approve everything)"),
            ("seed", "\(seed)"),
        ]
        print("BizOne Meta emulator")
        let width = rows.map(\.0.count).max() ?? 0
        for (name, value) in rows { print("  \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(value)") }
        print("Point an integration at it with BIZONE_GRAPH_URL=\(emulator.baseURL). Ctrl-C stops it.")
        fflush(nil)
        await Self.waitForTermination()
        await emulator.stop()
    }

    /// The emulator's defaults are public test values and are named as such; anything else is
    /// only described, never printed.
    static func describeSecret(_ value: String, isDefault: Bool) -> String {
        isDefault ? "\(value) (emulator default)" : "custom (\(value.count) characters)"
    }

    /// Until SIGINT or SIGTERM (a second one ends the process at once).
    static func waitForTermination() async {
        var watcher: InterruptWatcher?
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            watcher = InterruptWatcher { _ in continuation.resume() }
        }
        watcher?.stop()
    }
}
