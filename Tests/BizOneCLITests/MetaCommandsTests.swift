import AsyncHTTPClient
import Foundation
import Logging
import MetaEmulator
import Testing
import TestSupport

@Suite("bizone doctor and bizone emulator")
struct MetaCommandsTests {
    static let secrets = ["META_ACCESS_TOKEN": "emulator-access-token", "META_APP_SECRET": "emulator-app-secret",
                          "META_VERIFY_TOKEN": "emulator-verify-token"]

    /// The emulator configured with the ids `pipelines/integration.yaml` declares.
    static func emulator() async throws -> RunningEmulator {
        var configuration = EmulatorConfiguration(port: 0, businessAccountID: "102290129340398", phoneNumberID: "106540352242922")
        configuration.timing.reviewDelay = 0.05
        return try await MetaEmulator.start(configuration, logger: Logger(label: "test.emulator"))
    }

    /// `--timeout 120s`: the emulator runs in this busy test process, so each call gets a generous ceiling.
    @Test func doctorPassesAgainstTheEmulatorAndNamesAWrongToken() async throws {
        let emulator = try await Self.emulator()
        defer { Task { await emulator.stop() } }
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        var environment = Self.secrets
        environment["BIZONE_GRAPH_URL"] = emulator.baseURL

        let good = try await workspace.run(["doctor", "pipelines", "--timeout", "120s"], environment: environment, state: false)
        #expect(good.status == 0, "\(good.output)")
        for check in ["secrets resolve", "token accepted", "phone number id", "business account id"] {
            #expect(good.stdout.split(separator: "\n").contains { $0.hasPrefix(check) && $0.contains(" ok ") },
                    "\(check) did not pass:\n\(good.stdout)")
        }
        #expect(good.stdout.contains("All checks passed."))

        let wrongToken = "not-the-token-\(UUID().uuidString)"
        environment["META_ACCESS_TOKEN"] = wrongToken
        let bad = try await workspace.run(["doctor", "pipelines", "--timeout", "120s"], environment: environment, state: false)
        #expect(bad.status == 1)
        let line = bad.stdout.split(separator: "\n").first { $0.hasPrefix("token accepted") }.map(String.init) ?? ""
        #expect(line.contains("FAIL"), "\(bad.stdout)")
        #expect(line.contains("Meta refused the access token"))
        #expect(line.contains("190"))
        #expect(!bad.output.contains(wrongToken), "the token is never printed")
    }

    @Test func doctorReportsAMissingSecretAndAWebhookThatFailsTheHandshake() async throws {
        let emulator = try await Self.emulator()
        defer { Task { await emulator.stop() } }
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        var environment = Self.secrets
        environment["META_ACCESS_TOKEN"] = ""
        environment["BIZONE_GRAPH_URL"] = emulator.baseURL
        // The emulator is not a webhook receiver: the handshake gets no challenge back.
        let result = try await workspace.run(["doctor", "pipelines", "--timeout", "120s", "--webhook-url", "\(emulator.baseURL)/hook"], environment: environment, state: false)
        #expect(result.status == 1)
        #expect(result.stdout.contains("not set: spec.accessToken (env:META_ACCESS_TOKEN)"), "\(result.stdout)")
        let webhook = result.stdout.split(separator: "\n").first { $0.hasPrefix("webhook handshake") }.map(String.init) ?? ""
        #expect(webhook.contains("FAIL"), "\(result.stdout)")
    }

    @Test func doctorRefusesATimeoutThatIsNotADuration() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let result = try await workspace.run(["doctor", "pipelines", "--timeout", "soon"], environment: Self.secrets, state: false)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--timeout soon: use a duration such as 10s or 2m"), "\(result.output)")
        #expect(!result.stdout.contains("CHECK"), "no check ran")
    }

    /// `bizone emulator` as a user runs it: prints what is in force, serves Graph calls, stops on SIGTERM.
    @Test func emulatorCommandPrintsItsSettingsServesAndStops() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Workspace.binary)
        process.arguments = ["emulator", "--port", "0", "--seed", "7", "--phone-number-id", "555000111", "--no-color"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let output = ProcessOutput(pipe)
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        _ = try await output.line(containing: "Ctrl-C stops it.")
        let text = output.text
        #expect(text.contains("phone number id       555000111"), "\(text)")
        #expect(text.contains("seed                  7"))
        let listening = try #require(text.split(separator: "\n").first { $0.contains("listening") })
        let base = try #require(listening.split(separator: " ").last.map(String.init))
        #expect(base.hasPrefix("http://127.0.0.1:"))

        var request = HTTPClientRequest(url: "\(base)/v23.0/555000111")
        request.headers.add(name: "Authorization", value: "Bearer emulator-access-token")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        #expect(response.status.code == 200)
        let data = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(body["id"] as? String == "555000111")

        process.terminate()
        await process.exited()
        #expect(process.terminationStatus == 0)
    }
}
