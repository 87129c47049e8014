import AsyncHTTPClient
import Foundation
import NIOCore

/// Webhook throughput of what is deployed: the release `bizone serve` in its own process,
/// ingest and processing together, loaded by wrk over loopback with distinct, signed 3-status
/// webhooks (`scripts/bench/webhooks.lua`), beside a plain Hummingbird endpoint that only
/// answers 200, loaded the same way in the same run.
///
/// Three runs, each after a warm-up: the plain endpoint flat out, serve flat out, and serve
/// offered a fixed rate (a 1,000 msg/s campaign's statuses). Server CPU comes from
/// `/proc/PID/stat` of the server process, so wrk's own CPU is not counted; both share the
/// machine's cores, as in production behind a proxy. Processed events and the backlog come
/// from serve's `/metrics`, sampled every second.
struct ServeLoadBench {
    var bizone: String
    var bench: String
    var wrk: String
    var script: String
    var connections: Int
    var threads: Int
    var warmupSeconds: Int
    var seconds: Int
    var offeredRate: Int
    var offeredSeconds: Int

    static let secret = "bench-app-secret"

    /// One wrk run against one server process.
    struct Figures {
        var label: String
        var seconds: Double
        var requests: Int
        var failed: Int
        var p50Microseconds: Int
        var p99Microseconds: Int
        var cpuSeconds: Double
        /// Bytes the server process handed to write(2) and friends during the run (`wchar` of
        /// `/proc/PID/io`: the WAL, checkpoints into the database file, and the responses).
        /// Unlike CPU time on a shared VM it barely moves between runs, so it shows what a
        /// change to the store does per event.
        var writtenBytes: Int = 0
        /// Only for serve: events processed during the run, and the backlog at its end and at
        /// its largest.
        var processed: Int?
        var backlogEnd: Int?
        var backlogMax: Int?
        /// Of the one-second samples, how many found serve saying it is behind.
        var behindSamples: Int?
        var samples: Int?

        var perSecond: Double { Double(requests - failed) / max(seconds, 0.001) }
        var processedPerSecond: Double? { processed.map { Double($0) / max(seconds, 0.001) } }
        var cpuMicrosecondsPerRequest: Double { cpuSeconds * 1e6 / Double(max(1, requests)) }
        var writtenKiBPerRequest: Double { Double(writtenBytes) / 1024 / Double(max(1, requests)) }
    }

    func run() async throws -> [Figures] {
        var figures: [Figures] = []
        let plain = try ServerProcess(executable: bench, arguments: ["--plain-endpoint"], environment: [:])
        defer { plain.stop() }
        print("  plain Hummingbird endpoint: \(warmupSeconds) s warm-up, \(seconds) s measured...", terminator: "")
        fflush(nil)
        _ = try await load(plain, label: "warm-up", path: "/hook", seconds: warmupSeconds, rate: 0, run: "pw")
        let plainFigures = try await load(plain, label: "plain Hummingbird endpoint (answers 200)", path: "/hook",
                                          seconds: seconds, rate: 0, run: "p")
        figures.append(plainFigures)
        plain.stop()
        print(String(format: " %.0f req/s", plainFigures.perSecond))

        for (label, rate, duration) in [("bizone serve, flat out", 0, seconds),
                                        ("bizone serve, \(offeredRate) events/s offered", offeredRate, offeredSeconds)] {
            let serve = try startServe()
            defer { serve.process.stop(); try? FileManager.default.removeItem(at: serve.directory) }
            print("  \(label): \(warmupSeconds) s warm-up, \(duration) s measured...", terminator: "")
            fflush(nil)
            _ = try await load(serve.process, label: "warm-up", path: "/api/webhooks/whatsapp", seconds: warmupSeconds,
                               rate: rate, run: "w", metrics: true)
            let result = try await load(serve.process, label: label, path: "/api/webhooks/whatsapp", seconds: duration,
                                        rate: rate, run: "m", metrics: true)
            figures.append(result)
            print(String(format: " %.0f accepted/s, %.0f processed/s", result.perSecond, result.processedPerSecond ?? 0))
        }
        return figures
    }

    /// `bizone serve` on a fresh state with one integration whose app secret signs the load.
    private func startServe() throws -> (process: ServerProcess, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bizone-serve-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try """
            apiVersion: bizone/v1
            kind: Integration
            metadata:
              name: main
            spec:
              businessAccountId: "102290129340398"
              phoneNumberId: "106540352242922"
              displayPhoneNumber: "+1 555 010 0100"
              accessToken: {env: BENCH_ACCESS_TOKEN}
              appSecret: {env: BENCH_APP_SECRET}
              verifyToken: {env: BENCH_VERIFY_TOKEN}

            """.write(to: directory.appendingPathComponent("bizone.yaml"), atomically: true, encoding: .utf8)
        let process = try ServerProcess(
            executable: bizone,
            arguments: ["serve", directory.path, "--state", directory.appendingPathComponent("state.db").path,
                        "--port", "0", "--poll-interval", "0s", "--no-color"],
            environment: ["BENCH_ACCESS_TOKEN": "bench-token", "BENCH_APP_SECRET": Self.secret, "BENCH_VERIFY_TOKEN": "bench-verify",
                          // Nothing in this load calls Meta; if something did, it fails at once.
                          "BIZONE_GRAPH_URL": "http://127.0.0.1:9"])
        return (process, directory)
    }

    /// One wrk run; with `metrics`, serve's counters are read before and after and the
    /// backlog every second.
    func load(_ server: ServerProcess, label: String, path: String, seconds: Int, rate: Int, run: String,
              metrics: Bool = false, environment: [String: String] = [:]) async throws -> Figures {
        let before = metrics ? try await ServeMetrics.scrape(server.baseURL) : nil
        let cpuBefore = server.cpuSeconds()
        let writtenBefore = server.writtenBytes()
        let wrkProcess = Process()
        wrkProcess.executableURL = URL(fileURLWithPath: wrk)
        wrkProcess.arguments = ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--timeout", "10s", "-s", script,
                                server.baseURL + path]
        wrkProcess.environment = ProcessInfo.processInfo.environment.merging([
            "BENCH_SECRET": Self.secret, "BENCH_PATH": path, "BENCH_RATE": "\(rate)", "BENCH_THREADS": "\(threads)",
            "BENCH_RUN": run,
        ].merging(environment) { $1 }) { $1 }
        let output = Pipe()
        wrkProcess.standardOutput = output
        wrkProcess.standardError = output
        let collected = OutputCollector(output)
        try wrkProcess.run()
        var backlogMax = 0, samples = 0, behind = 0
        while wrkProcess.isRunning {
            try await Task.sleep(for: .seconds(1))
            if metrics, let sample = try? await ServeMetrics.scrape(server.baseURL) {
                backlogMax = max(backlogMax, sample.backlog)
                samples += 1
                if sample.behind { behind += 1 }
            }
        }
        let cpuAfter = server.cpuSeconds()
        let writtenAfter = server.writtenBytes()
        let text = collected.text()
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("WRK_RESULT") }) else {
            throw BenchError.load("wrk printed no result (exit \(wrkProcess.terminationStatus)): \(text)")
        }
        var fields: [String: Double] = [:]
        for pair in line.split(separator: " ").dropFirst() {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Double(parts[1]) { fields[String(parts[0])] = value }
        }
        let requests = Int(fields["requests"] ?? 0)
        var figures = Figures(label: label, seconds: fields["seconds"] ?? Double(seconds), requests: requests,
                              failed: Int((fields["non2xx"] ?? 0) + (fields["errors"] ?? 0)),
                              p50Microseconds: Int(fields["p50_us"] ?? 0), p99Microseconds: Int(fields["p99_us"] ?? 0),
                              cpuSeconds: cpuAfter - cpuBefore, writtenBytes: max(0, writtenAfter - writtenBefore))
        if let before {
            let after = try await ServeMetrics.scrape(server.baseURL)
            figures.processed = after.processed - before.processed
            figures.backlogEnd = after.backlog
            figures.backlogMax = max(backlogMax, after.backlog)
            figures.samples = samples
            figures.behindSamples = behind
        }
        return figures
    }
}

/// The figures of serve's `/metrics` the bench reads.
struct ServeMetrics {
    var processed: Int
    var backlog: Int
    /// `bizone_processing_behind`: serve says processing does not keep up.
    var behind: Bool

    static func scrape(_ baseURL: String) async throws -> ServeMetrics {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: baseURL + "/metrics"), timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 22))
        func value(_ name: String) -> Int {
            for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
                if let number = Double(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)) { return Int(number) }
            }
            return 0
        }
        return ServeMetrics(processed: value("bizone_events_processed_total"), backlog: value("bizone_event_backlog"),
                            behind: value("bizone_processing_behind") > 0)
    }
}

/// A server child process that prints `listening on http://HOST:PORT` once it listens.
final class ServerProcess {
    let process = Process()
    let baseURL: String
    private let collector: OutputCollector

    init(executable: String, arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        collector = OutputCollector(output)
        try process.run()
        var url: String?
        for _ in 0..<600 where url == nil && process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
            url = collector.text().split(separator: "\n").first { $0.contains("listening on") }?
                .split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init)
        }
        guard let url else {
            if process.isRunning { process.terminate() }
            throw BenchError.load("\(executable) \(arguments.first ?? "") did not start: \(collector.text())")
        }
        baseURL = url
    }

    /// User plus system CPU the process has used so far (`/proc/PID/stat`, fields 14 and 15).
    func cpuSeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        // After "pid (comm)": field 3 is the state, so utime (14) and stime (15) are at 11 and 12.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// `wchar` of `/proc/PID/io` (0 when it cannot be read).
    func writtenBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/io", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("wchar:") }) else { return 0 }
        return Int(line.dropFirst("wchar:".count).trimmingCharacters(in: .whitespaces)) ?? 0
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

/// Everything a child writes to a pipe, read on a thread of its own.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock { data.append(chunk) }
            }
        }
    }

    func text() -> String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
