import AsyncHTTPClient
import Foundation
import MetaGraph
import Testing
import TestSupport

/// Nothing stalls `bizone serve` (issue 9 §2): clients that stop mid-request, trickle a body,
/// idle on a keep-alive connection, send too much or speak HTTP/1.0 are answered or dropped, and
/// the ones that go away are not counted as server errors. Every test runs the real process and
/// waits for the server's close (a read returning end of file), never for time to pass.
@Suite("bizone serve drops stalled clients")
struct StalledClientTests {
    static let webhookPath = "/api/webhooks/whatsapp"

    /// Starts serve on the repository's pipelines with `--read-timeout`.
    static func serve(readTimeout: String) async throws -> (Workspace, ServeProcess, port: Int) {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let serve = try await ServeProcess(workspace: workspace, arguments: ["pipelines", "--read-timeout", readTimeout],
                                           environment: ServeTests.environment())
        let port = try #require(serve.baseURL.split(separator: ":").last.flatMap { Int($0) }, "port in \(serve.baseURL)")
        return (workspace, serve, port)
    }

    static func metrics(_ serve: ServeProcess) async throws -> String {
        let response = try await webhookClient.execute(HTTPClientRequest(url: serve.baseURL + "/metrics"), timeout: .seconds(60))
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    /// The head of a webhook POST announcing `length` bytes of body.
    static func postHead(length: Int) -> String {
        "POST \(webhookPath) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "X-Hub-Signature-256: sha256=00\r\nContent-Length: \(length)\r\n\r\n"
    }

    @Test(.timeLimit(.minutes(4)))
    func sixtyStalledClientsAreClosedWithinTheReadTimeoutAndAreNot500s() async throws {
        let (_, serve, port) = try await Self.serve(readTimeout: "1s")
        defer { serve.stop() }

        // Half the clients stop in the middle of their headers, half after headers and part of the body.
        let endings = try await withThrowingTaskGroup(of: (Int, RawConnection.Ending).self) { group in
            for index in 0..<60 {
                group.addTask {
                    let connection = try await RawConnection.open(port: port)
                    if index.isMultiple(of: 2) {
                        try await connection.write("POST \(Self.webhookPath) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
                    } else {
                        try await connection.write(Self.postHead(length: 1_000) + String(repeating: "x", count: 100))
                    }
                    return (index, try await connection.end())
                }
            }
            var endings: [Int: RawConnection.Ending] = [:]
            for try await (index, ending) in group { endings[index] = ending }
            return endings
        }
        #expect(endings.count == 60)
        let slowest = endings.values.map(\.after).max() ?? .zero
        print("60 stalled connections closed by serve; slowest after \(slowest)")

        // The 30 stalled bodies reached the webhook route: each is counted as abandoned, none as a 500.
        let route = #"route="\#(Self.webhookPath)""#
        try await eventually("the abandoned requests in /metrics") {
            PrometheusText.sample(#"bizone_http_requests_abandoned_total{\#(route),reason="timed_out"}"#,
                                  in: try await Self.metrics(serve)) == 30
        }
        let text = try await Self.metrics(serve)
        #expect(!text.contains(#"status="500""#), "\(text)")

        // And serve still takes a normal signed webhook.
        #expect(try await postWebhook(serve.webhookURL, body: ServeTests.statusEvent(wamid: "wamid.after-stall"),
                                      secret: ServeTests.appSecret) == 200)
        #expect(serve.process.isRunning)
    }

    /// One byte every 100 ms never lets a per-read idle timer fire: only a deadline for the
    /// whole request closes this connection.
    @Test(.timeLimit(.minutes(4)))
    func aBodyTrickledAByteAtATimeIsClosedAtTheRequestDeadline() async throws {
        let (_, serve, port) = try await Self.serve(readTimeout: "1s")
        defer { serve.stop() }

        let connection = try await RawConnection.open(port: port)
        try await connection.write(Self.postHead(length: 100_000))
        // 600 bytes take a minute: far past the one-second deadline, even on a busy machine.
        let (sent, _) = try await connection.trickle(Array(repeating: UInt8(ascii: "x"), count: 600), pause: .milliseconds(100))
        #expect(sent < 600)
        print("trickled body closed after \(sent) bytes")
        let text = try await Self.metrics(serve)
        #expect(!text.contains(#"status="500""#), "\(text)")
    }

    @Test(.timeLimit(.minutes(4)))
    func anIdleKeepAliveConnectionIsClosedAfterTheReadTimeout() async throws {
        let (_, serve, port) = try await Self.serve(readTimeout: "1s")
        defer { serve.stop() }

        let connection = try await RawConnection.open(port: port)
        try await connection.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        // The answer comes, the connection stays open for another request, then closes when idle.
        let ending = try await connection.end()
        #expect(ending.text.hasPrefix("HTTP/1.1 200"), "\(ending.text)")
        #expect(!ending.text.lowercased().contains("connection: close"), "\(ending.text)")
    }

    /// The timeout is ten minutes here, so only the 413 itself can close the connection.
    @Test(.timeLimit(.minutes(4)))
    func a413ClosesTheConnection() async throws {
        let (_, serve, port) = try await Self.serve(readTimeout: "10m")
        defer { serve.stop() }

        let connection = try await RawConnection.open(port: port)
        try await connection.write(Self.postHead(length: 4 * 1024 * 1024) + String(repeating: "x", count: 1_000))
        let ending = try await connection.end()
        #expect(ending.text.hasPrefix("HTTP/1.1 413"), "\(ending.text)")
        #expect(ending.text.lowercased().contains("connection: close"), "\(ending.text)")
    }

    @Test(.timeLimit(.minutes(4)))
    func anHTTP10RequestIsAnsweredAndTheConnectionClosed() async throws {
        let (_, serve, port) = try await Self.serve(readTimeout: "10m")
        defer { serve.stop() }

        let connection = try await RawConnection.open(port: port)
        try await connection.write("GET /api/health HTTP/1.0\r\n\r\n")
        let ending = try await connection.end()
        #expect(ending.text.hasPrefix("HTTP/1.1 200"), "\(ending.text)")
        #expect(ending.text.lowercased().contains("connection: close"), "\(ending.text)")
    }

    /// Clients that hang up after part of the body: their requests are abandoned, not 500s.
    @Test(.timeLimit(.minutes(4)))
    func clientsHangingUpMidRequestAreNotCountedAs500s() async throws {
        let (_, serve, port) = try await Self.serve(readTimeout: "10m")
        defer { serve.stop() }

        for _ in 0..<10 {
            let connection = try await RawConnection.open(port: port)
            try await connection.write(Self.postHead(length: 1_000) + String(repeating: "x", count: 100))
            connection.hangUp()
        }
        let route = #"route="\#(Self.webhookPath)""#
        try await eventually("the abandoned requests in /metrics") {
            PrometheusText.sample(#"bizone_http_requests_abandoned_total{\#(route),reason="hung_up"}"#,
                                  in: try await Self.metrics(serve)) == 10
        }
        let text = try await Self.metrics(serve)
        #expect(!text.contains(#"status="500""#), "\(text)")
    }
}

extension StalledClientTests {
    /// A body the parser cannot read (a chunk size that is not hex) is the 400 Hummingbird
    /// answers, in the metrics too, not a 500.
    @Test(.timeLimit(.minutes(4)))
    func aMalformedBodyIsCountedAsThe400ItIsAnswered() async throws {
        let (_, serve, port) = try await Self.serve(readTimeout: "10m")
        defer { serve.stop() }

        let connection = try await RawConnection.open(port: port)
        try await connection.write("POST \(Self.webhookPath) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Hub-Signature-256: sha256=00\r\n"
                                   + "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\nzz\r\n")
        let ending = try await connection.end()
        #expect(ending.text.hasPrefix("HTTP/1.1 400"), "\(ending.text)")
        let route = #"route="\#(Self.webhookPath)""#
        try await eventually("the 400 in /metrics") {
            PrometheusText.sample(#"bizone_http_requests_total{\#(route),status="400"}"#, in: try await Self.metrics(serve)) == 1
        }
        let text = try await Self.metrics(serve)
        #expect(!text.contains(#"status="500""#), "\(text)")
    }
}

/// A port already taken is an error naming host and port, with no stack dump.
@Suite("bizone serve on a taken port")
struct TakenPortTests {
    @Test(.timeLimit(.minutes(4)))
    func aPortInUseIsAnErrorNamingHostAndPort() async throws {
        let listener = try RawListener()
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let result = try await workspace.run(["serve", "pipelines", "--host", "127.0.0.1", "--port", "\(listener.port)",
                                                      "--poll-interval", "0s"], environment: ServeTests.environment())
        #expect(result.status != 0)
        #expect(result.stderr.contains("error: cannot listen on 127.0.0.1:\(listener.port): address already in use"), "\(result.output)")
        #expect(!result.output.contains("Stack dump") && !result.output.contains("Fatal error")
                && !result.output.contains("Current stack trace"), "\(result.output)")
    }
}

/// Reading one sample out of Prometheus' text format.
enum PrometheusText {
    /// The value of the line starting with `series` (name and labels exactly), or nil.
    static func sample(_ series: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
