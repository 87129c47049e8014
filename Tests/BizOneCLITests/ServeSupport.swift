import AsyncHTTPClient
import Foundation
import MetaGraph
import NIOCore
import Testing

/// `bizone serve` as a child process on a free port, as an operator runs it.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let baseURL: String
    private let output: Pipe

    init(workspace: Workspace, arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: Workspace.binary)
        process.arguments = ["serve", "--port", "0", "--poll-interval", "0s", "--state", workspace.statePath, "--no-color"] + arguments
        process.currentDirectoryURL = workspace.directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("health:"), Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first(where: { $0.contains("listening on") }),
              let url = line.split(separator: " ").last else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve did not start: \(text)"])
        }
        baseURL = String(url)
    }

    var webhookURL: String { "\(baseURL)/api/webhooks/whatsapp" }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}

/// A client of its own, so the load these tests make does not starve other suites' shared pool.
let webhookClient = HTTPClient(eventLoopGroupProvider: .singleton,
                               configuration: .init(timeout: .init(connect: .seconds(120), read: .seconds(120)),
                                                    connectionPool: .init(idleTimeout: .seconds(30),
                                                                          concurrentHTTP1ConnectionsPerHostSoftLimit: 32)))

/// Posts a body signed with `secret` (or unsigned / with a given header) and returns the status.
func postWebhook(_ url: String, body: Data, secret: String?, signature: String? = nil) async throws -> Int {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    if let header = signature ?? secret.map({ WebhookSignature.sign(body, secret: $0) }) {
        request.headers.add(name: WebhookSignature.header, value: header)
    }
    request.body = .bytes(ByteBuffer(bytes: body))
    let response = try await webhookClient.execute(request, timeout: .seconds(120))
    _ = try await response.body.collect(upTo: 1 << 20)
    return Int(response.status.code)
}

/// Polls until `condition` holds or fails the test after `timeout` seconds.
func eventually(timeout: Double = 15, _ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(nanoseconds: 50_000_000)
    }
    Issue.record("timed out waiting for \(what)")
}
