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
            #expect(report.checks.map(\.name) == ["database", "migrations", "event_backlog", "last_webhook"])
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
}
