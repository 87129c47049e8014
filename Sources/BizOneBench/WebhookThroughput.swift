import Foundation

/// The webhook part of `make bench`: finds wrk and the load script, runs `ServeLoadBench` and
/// prints its table. `--webhook-seconds`, `--webhook-warmup`, `--webhook-rate`,
/// `--webhook-rate-seconds` and `--concurrency` change the runs.
func webhookThroughput() async throws {
    let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let bizone = binaries.appendingPathComponent("bizone").path
    let script = ProcessInfo.processInfo.environment["BENCH_WRK_SCRIPT"] ?? "scripts/bench/webhooks.lua"
    let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let wrk, FileManager.default.isExecutableFile(atPath: bizone), FileManager.default.fileExists(atPath: script) else {
        print("\nWebhook throughput: skipped, it needs wrk (`make bench` installs it), \(bizone) and \(script)")
        return
    }
    let bench = ServeLoadBench(bizone: bizone, bench: CommandLine.arguments[0], wrk: wrk, script: script,
                               connections: argument("--concurrency", 64), threads: 2,
                               warmupSeconds: argument("--webhook-warmup", 5), seconds: argument("--webhook-seconds", 30),
                               offeredRate: argument("--webhook-rate", 3_000), offeredSeconds: argument("--webhook-rate-seconds", 60))
    print("\nWebhook throughput: wrk, \(bench.connections) connections, distinct signed 3-status webhooks (1.3 KB),"
          + " each server in its own process")
    let figures = try await bench.run()
    guard let plain = figures.first else { return }
    print("")
    var table = [["run", "answered/s", "of plain", "processed/s", "backlog end / max", "behind", "p50", "p99", "server CPU/event", "written/event", "failed"]]
    for figure in figures {
        let backlog = figure.backlogEnd.map { "\($0) / \(figure.backlogMax ?? $0)" } ?? "-"
        table.append([
            figure.label, String(format: "%.0f", figure.perSecond),
            String(format: "%.2fx", figure.perSecond / max(plain.perSecond, 1)),
            figure.processedPerSecond.map { String(format: "%.0f", $0) } ?? "-", backlog,
            figure.behindSamples.map { "\($0) of \(figure.samples ?? 0) s" } ?? "-",
            milliseconds(figure.p50Microseconds), milliseconds(figure.p99Microseconds),
            String(format: "%.0f µs", figure.cpuMicrosecondsPerRequest), String(format: "%.1f KiB", figure.writtenKiBPerRequest),
            "\(figure.failed)",
        ])
    }
    printTable(table)
    print("(an event is one webhook POST with 3 statuses; processed/s, backlog and behind, the seconds in which serve"
          + " said processing is behind, from serve's /metrics sampled every second; written: what the server process wrote, WAL"
          + " and checkpoints included, from /proc/PID/io)")
}

private func milliseconds(_ microseconds: Int) -> String {
    String(format: "%.1f ms", Double(microseconds) / 1000)
}

/// The sign-in part of `make bench` (`--signin-seconds`, `--signin-clients`; `--skip-signin`).
func signInThroughput() async throws {
    let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let bizone = binaries.appendingPathComponent("bizone").path
    let script = ProcessInfo.processInfo.environment["BENCH_GET_SCRIPT"] ?? "scripts/bench/get.lua"
    let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let wrk, FileManager.default.isExecutableFile(atPath: bizone), FileManager.default.fileExists(atPath: script) else {
        print("\nSign-in: skipped, it needs wrk (`make bench` installs it), \(bizone) and \(script)")
        return
    }
    print("\nSign-in: bcrypt logins and the cost of the route guard, against the release bizone serve")
    try await SignInBench(bizone: bizone, wrk: wrk, script: script, seconds: argument("--signin-seconds", 10),
                          concurrency: argument("--signin-clients", 4)).run()
}
