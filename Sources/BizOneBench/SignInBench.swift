import AsyncHTTPClient
import Foundation
import NIOCore

/// The sign-in part of `make bench`: the release `bizone serve` on a state with one declared
/// user who set a password through `bizone user invite`.
///
/// - Login throughput: `concurrency` clients signing in over and over for `seconds`; bcrypt
///   (cost 12) is the point of a login, so this shows what it costs per login.
/// - The guard: wrk on `GET /api/me` with a valid bearer token (the token looked up in the
///   store, the session and user checked, the matrix read) against the same route without
///   one (answered 401 before any lookup) and the open `/api/health`, with serve's CPU per
///   request from `/proc`.
struct SignInBench {
    var bizone: String
    var wrk: String
    var script: String
    var seconds: Int
    var concurrency: Int

    static let password = "correct horse battery staple"
    static let email = "bench.admin@bizone.example"

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bizone-signin-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("p"), withIntermediateDirectories: true)
        try Self.pipeline.write(to: directory.appendingPathComponent("p/bench.yaml"), atomically: true, encoding: .utf8)
        let state = directory.appendingPathComponent("state.db").path
        let environment = ["BENCH_ACCESS_TOKEN": "bench-token", "BENCH_APP_SECRET": "bench-secret", "BENCH_VERIFY_TOKEN": "bench-verify",
                           "BIZONE_GRAPH_URL": "http://127.0.0.1:9"]
        _ = try command(["apply", directory.appendingPathComponent("p").path, "--state", state, "--auto-approve", "--no-color"], environment)
        let invited = try command(["user", "invite", Self.email, "--state", state, "--no-color"], environment)
        guard let token = invited.split(separator: "\n").first(where: { $0.contains("token:") })?.split(separator: " ").last else {
            throw BenchError.load("bizone user invite printed no token: \(invited)")
        }
        let serve = try ServerProcess(executable: bizone, arguments: ["serve", directory.appendingPathComponent("p").path, "--state", state,
                                                                     "--port", "0", "--poll-interval", "0s", "--no-color"],
                                      environment: environment)
        defer { serve.stop() }
        let client = HTTPClient.shared
        let set = try await post(client, serve.baseURL + "/api/auth/password/set", ["token": String(token), "password": Self.password])
        guard set.status == 200 else { throw BenchError.load("setting the password answered \(set.status): \(set.text)") }

        print("  logins: \(concurrency) clients, \(seconds) s...", terminator: "")
        fflush(nil)
        let cpuBefore = serve.cpuSeconds()
        let started = ContinuousClock.now
        let deadline = started + .seconds(seconds)
        let login = serve.baseURL + "/api/auth/login"
        let (count, latencies, access) = try await withThrowingTaskGroup(of: (Int, [Double], String?).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var count = 0, latencies: [Double] = [], access: String?
                    while ContinuousClock.now < deadline {
                        let begin = ContinuousClock.now
                        let answer = try await post(client, login, ["email": Self.email, "password": Self.password])
                        latencies.append((ContinuousClock.now - begin).milliseconds)
                        if answer.status == 200 { count += 1; access = answer.field("accessToken") }
                    }
                    return (count, latencies, access)
                }
            }
            var total = 0, all: [Double] = [], token: String?
            for try await (count, latencies, access) in group { total += count; all += latencies; token = token ?? access }
            return (total, all.sorted(), token)
        }
        let elapsed = (ContinuousClock.now - started).milliseconds / 1000
        let loginCPU = (serve.cpuSeconds() - cpuBefore) * 1000 / Double(max(count, 1))
        print(String(format: " %.1f logins/s", Double(count) / elapsed))
        guard let access else { throw BenchError.load("no login succeeded") }

        let load = ServeLoadBench(bizone: bizone, bench: "", wrk: wrk, script: script, connections: 32, threads: 2, warmupSeconds: 2,
                                  seconds: seconds, offeredRate: 0, offeredSeconds: 0)
        var rows: [(String, ServeLoadBench.Figures)] = []
        for (label, path, bearer) in [("GET /api/health (open)", "/api/health", ""), ("GET /api/me without a token (401)", "/api/me", ""),
                                      ("GET /api/me signed in (guard + session lookup)", "/api/me", access)] {
            print("  \(label): \(seconds) s...", terminator: "")
            fflush(nil)
            _ = try await load.load(serve, label: label, path: path, seconds: 2, rate: 0, run: "w", environment: ["BENCH_TOKEN": bearer])
            let figures = try await load.load(serve, label: label, path: path, seconds: seconds, rate: 0, run: "m",
                                              environment: ["BENCH_TOKEN": bearer])
            rows.append((label, figures))
            print(String(format: " %.0f req/s", Double(figures.requests) / max(figures.seconds, 0.001)))
        }
        print("")
        var table = [["run", "per second", "p50", "p99", "server CPU per request"]]
        let p50 = latencies.isEmpty ? 0 : latencies[latencies.count / 2]
        let p99 = latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        table.append(["login (bcrypt cost 12), \(concurrency) clients", String(format: "%.1f", Double(count) / elapsed),
                      String(format: "%.0f ms", p50), String(format: "%.0f ms", p99), String(format: "%.1f ms", loginCPU)])
        for (label, figures) in rows {
            table.append([label, String(format: "%.0f", Double(figures.requests) / max(figures.seconds, 0.001)),
                          String(format: "%.2f ms", Double(figures.p50Microseconds) / 1000), String(format: "%.2f ms", Double(figures.p99Microseconds) / 1000),
                          String(format: "%.0f µs", figures.cpuMicrosecondsPerRequest)])
        }
        printTable(table)
        if rows.count == 3 {
            let guardCost = rows[2].1.cpuMicrosecondsPerRequest - rows[1].1.cpuMicrosecondsPerRequest
            print(String(format: "(the guard and session lookup add %.0f µs of serve's CPU per signed-in request over the same route answered 401)", guardCost))
        }
    }

    private func command(_ arguments: [String], _ environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bizone)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw BenchError.load("bizone \(arguments.first ?? "") failed: \(text)") }
        return text
    }

    static let pipeline = """
        apiVersion: bizone/v1
        kind: Integration
        metadata:
          name: main
        spec:
          businessAccountId: "102290129340398"
          phoneNumberId: "106540352242922"
          accessToken: {env: BENCH_ACCESS_TOKEN}
          appSecret: {env: BENCH_APP_SECRET}
          verifyToken: {env: BENCH_VERIFY_TOKEN}
        ---
        apiVersion: bizone/v1
        kind: Role
        metadata:
          name: admin
        spec:
          permissions: {settings: ["*"], users: ["*"]}
        ---
        apiVersion: bizone/v1
        kind: User
        metadata:
          name: bench-admin
        spec:
          email: \(email)
          displayName: Bench Admin
          roles: [admin]

        """
}

private struct Answer {
    var status: Int
    var text: String
    func field(_ name: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return object[name] as? String
    }
}

private func post(_ client: HTTPClient, _ url: String, _ body: [String: String]) async throws -> Answer {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
    let response = try await client.execute(request, timeout: .seconds(60))
    return Answer(status: Int(response.status.code), text: String(buffer: try await response.body.collect(upTo: 1 << 20)))
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
