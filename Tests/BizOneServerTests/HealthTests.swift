import BizOneServer
import Foundation
import Testing

/// `/api/health` (liveness) and `/api/health/ready` (database, migrations, backlog, last webhook).
@Suite struct HealthTests {
    @Test func livenessAnswersOK() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let reply = try await h.get("/api/health")
            #expect(reply.status == 200)
            #expect(reply.text == #"{"status":"ok"}"#)
            #expect(reply.header("Content-Type") == "application/json")
        }
    }

    @Test func readyOnAFreshStore() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let reply = try await h.get("/api/health/ready")
            #expect(reply.status == 200)
            let report = try JSONDecoder().decode(ReadinessReport.self, from: reply.body)
            #expect(report.status == "ok")
            #expect(report.checks.map(\.name) == ["database", "migrations", "event_backlog", "processing_lag", "last_webhook"])
            #expect(report.checks.first { $0.name == "database" }?.status == .ok)
            #expect(report.checks.first { $0.name == "migrations" }?.status == .ok)
            #expect(report.checks.first { $0.name == "event_backlog" }?.value == 0)
            #expect(report.checks.first { $0.name == "last_webhook" }?.status == .info)
        }
    }

    @Test func notReadyWhenTheBacklogIsAboveTheLimit() async throws {
        try await ServerHarness.run(configure: { $0.readyMaxBacklog = 0 }) { (h: ServerHarness) async throws in
            // Nothing pending yet: ready even with a limit of 0.
            #expect(try await h.get("/api/health/ready").status == 200)
            // No processor runs in this test, so the event stays pending.
            #expect(try await h.post(Fixtures.compactText).status == 200)
            let reply = try await h.get("/api/health/ready")
            #expect(reply.status == 503)
            let report = try JSONDecoder().decode(ReadinessReport.self, from: reply.body)
            #expect(report.status == "fail")
            let backlog = try #require(report.checks.first { $0.name == "event_backlog" })
            #expect(backlog.status == .fail)
            #expect(backlog.value == 1)
            #expect(backlog.limit == 0)
            // The last webhook is reported, but only as information.
            let last = try #require(report.checks.first { $0.name == "last_webhook" })
            #expect(last.status == .info)
            #expect(last.value != nil)
            // Liveness does not depend on readiness.
            #expect(try await h.get("/api/health").status == 200)
        }
    }

    /// Before the limit, readiness and /metrics say processing is behind, and webhooks are
    /// still answered 200 (Meta retries a 5xx: refusing is worse than queueing).
    @Test func behindBeforeTheLimitStillReadyAndStillAnswering() async throws {
        // Only the backlog decides here, however long a loaded machine takes.
        try await ServerHarness.run(configure: { $0.behindBacklog = 1; $0.behindAge = .seconds(365 * 86_400) }) { (h: ServerHarness) async throws in
            #expect(try await h.post(Fixtures.compactText).status == 200)
            var report = try JSONDecoder().decode(ReadinessReport.self, from: try await h.get("/api/health/ready").body)
            #expect(report.status == "ok")
            #expect(ServerHarness.sample(ServerMetrics.Name.processingBehind, in: try await h.scrape()) == 0)

            // No processor runs here: the second event waits too, one more than keeping up allows.
            #expect(try await h.post(Fixtures.textWebhook(2)).status == 200)
            let reply = try await h.get("/api/health/ready")
            #expect(reply.status == 200)
            report = try JSONDecoder().decode(ReadinessReport.self, from: reply.body)
            #expect(report.status == "behind")
            #expect(report.isReady)
            let backlog = try #require(report.checks.first { $0.name == "event_backlog" })
            #expect(backlog.status == .warn)
            #expect(backlog.value == 2)
            #expect(backlog.limit == 10_000)
            #expect(ServerHarness.sample(ServerMetrics.Name.processingBehind, in: try await h.scrape()) == 1)
            #expect(ServerHarness.sample(ServerMetrics.Name.eventBacklog, in: try await h.scrape()) == 2)
        }
    }

    /// The oldest waiting event's age is its own reason to be behind (a trickle that is never
    /// processed never makes the backlog large).
    @Test func behindWhenTheOldestEventWaitsTooLong() async throws {
        // The server's clock reads an hour ahead: the event has waited an hour, past the 5 s.
        try await ServerHarness.run(configure: { $0.now = { Date().addingTimeInterval(3_600) } }) { (h: ServerHarness) async throws in
            #expect(try await h.post(Fixtures.compactText).status == 200)
            let report = try JSONDecoder().decode(ReadinessReport.self, from: try await h.get("/api/health/ready").body)
            let lag = try #require(report.checks.first { $0.name == "processing_lag" })
            #expect(lag.status == .warn)
            #expect((lag.value ?? 0) >= 3_500)
            #expect(lag.limit == 5)
            #expect(report.status == "behind")
            #expect(ServerHarness.sample(ServerMetrics.Name.processingBehind, in: try await h.scrape()) == 1)
        }
    }
}
