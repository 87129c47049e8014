import AsyncHTTPClient
import Foundation
import MetaGraph
import NIOCore
import Testing
import TestSupport

/// `bizone serve` as a child process on a free port, as an operator runs it.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let baseURL: String
    /// What serve printed so far (stdout and stderr).
    let stdout: ProcessOutput
    let stderr: ProcessOutput

    /// Starts serve and returns once it printed its health line (it listens by then).
    init(workspace: Workspace, arguments: [String], environment: [String: String]) async throws {
        process.executableURL = URL(fileURLWithPath: Workspace.binary)
        process.arguments = ["serve", "--port", "0", "--poll-interval", "0s", "--state", workspace.statePath, "--no-color"] + arguments
        process.currentDirectoryURL = workspace.directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        stdout = ProcessOutput(out)
        stderr = ProcessOutput(err)
        try process.run()
        do {
            _ = try await stdout.line(containing: "health:")
            let line = try await stdout.line(containing: "listening on")
            guard let url = line.split(separator: " ").last else { throw ServeStartError(output: stdout.text) }
            baseURL = String(url)
        } catch {
            if process.isRunning { process.terminate() }
            throw ServeStartError(output: "\(error)\nstderr:\n\(stderr.text)")
        }
    }

    var webhookURL: String { "\(baseURL)/api/webhooks/whatsapp" }

    /// SIGKILL, then waits for the exit off the concurrency pool.
    func kill() async {
        Foundation.kill(process.processIdentifier, SIGKILL)
        await process.exited()
    }

    /// SIGTERM without waiting: for `defer`, which cannot await. Blocking a pool thread there
    /// could wait on a server of this very process that serve is still talking to.
    func stop() {
        if process.isRunning { process.terminate() }
    }

    /// SIGTERM, then waits for the exit (off the pool) and returns its status.
    func stopped() async -> Int32 {
        stop()
        await process.exited()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}

struct ServeStartError: Error, CustomStringConvertible {
    var output: String
    var description: String { "serve did not start: \(output)" }
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

