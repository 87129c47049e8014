import BizOneServer
import BizOneModel
import BizOneStore
import Foundation
import Testing

/// `/metrics`: Prometheus text from the server's own registry.
@Suite struct MetricsTests {
    @Test func countersMoveWithRequests() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let before = try await h.scrape()
            #expect(ServerHarness.sample("bizone_webhook_signature_failures_total", in: before) == 0)
            #expect(ServerHarness.sample(#"bizone_events_received_total{outcome="accepted"}"#, in: before) == 0)

            #expect(try await h.post(Fixtures.compactText, signature: .none).status == 401)
            #expect(try await h.post(Fixtures.compactText, signature: .header("sha256=00")).status == 401)
            #expect(try await h.post(Fixtures.compactText).status == 200)
            #expect(try await h.post(Data("nope".utf8)).status == 400)

            let after = try await h.scrape()
            #expect(ServerHarness.sample("bizone_webhook_signature_failures_total", in: after) == 2)
            #expect(ServerHarness.sample(#"bizone_events_received_total{outcome="accepted"}"#, in: after) == 1)
            #expect(ServerHarness.sample(#"bizone_events_received_total{outcome="rejected"}"#, in: after) == 1)
            #expect(ServerHarness.sample(#"bizone_http_requests_total{route="/api/webhooks/whatsapp",status="401"}"#, in: after) == 2)
            #expect(ServerHarness.sample(#"bizone_http_requests_total{route="/api/webhooks/whatsapp",status="200"}"#, in: after) == 1)
            #expect(ServerHarness.sample(#"bizone_http_requests_total{route="/api/webhooks/whatsapp",status="400"}"#, in: after) == 1)
            // The first scrape was counted by the time of the second.
            #expect(ServerHarness.sample(#"bizone_http_requests_total{route="/metrics",status="200"}"#, in: after) == 1)
        }
    }

    @Test func routeLabelIsThePatternNotTheRawPath() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            _ = try await h.get("\(ServerHarness.path)?hub.mode=subscribe&hub.challenge=42&hub.verify_token=\(ServerHarness.verifyToken)")
            _ = try await h.get("\(ServerHarness.path)/meta?hub.mode=subscribe&hub.challenge=43&hub.verify_token=wrong")
            let missing = try await h.get("/no/such/path/12345")
            #expect(missing.status == 404)
            let text = try await h.scrape()
            #expect(ServerHarness.sample(#"bizone_http_requests_total{route="/api/webhooks/whatsapp",status="200"}"#, in: text) == 1)
            #expect(ServerHarness.sample(#"bizone_http_requests_total{route="/api/webhooks/whatsapp/meta",status="403"}"#, in: text) == 1)
            #expect(ServerHarness.sample(#"bizone_http_requests_total{route="unmatched",status="404"}"#, in: text) == 1)
            #expect(!text.contains("12345"))
            #expect(!text.contains("hub."))
            #expect(!text.contains(ServerHarness.verifyToken))
        }
    }

    @Test func backlogIsRefreshedOnScrape() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            #expect(ServerHarness.sample("bizone_event_backlog", in: try await h.scrape()) == 0)
            #expect(try await h.post(Fixtures.textWebhook(1)).status == 200)
            #expect(try await h.post(Fixtures.textWebhook(2)).status == 200)
            #expect(ServerHarness.sample("bizone_event_backlog", in: try await h.scrape()) == 2)
        }
    }

    @Test func processingHelpersShowUp() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            h.metrics.setProcessingLag(seconds: 1.5)
            h.metrics.eventProcessed(count: 3)
            h.metrics.eventFailed()
            h.metrics.forwardAttempt(.success)
            h.metrics.forwardAttempt(.retry)
            h.metrics.forwardAttempt(.retry)
            h.metrics.forwardAttempt(ForwardOutcome(rawValue: "skipped"))
            let text = try await h.scrape()
            #expect(ServerHarness.sample("bizone_processing_lag_seconds", in: text) == 1.5)
            #expect(ServerHarness.sample("bizone_events_processed_total", in: text) == 3)
            #expect(ServerHarness.sample("bizone_events_failed_total", in: text) == 1)
            #expect(ServerHarness.sample(#"bizone_forward_attempts_total{outcome="success"}"#, in: text) == 1)
            #expect(ServerHarness.sample(#"bizone_forward_attempts_total{outcome="retry"}"#, in: text) == 2)
            #expect(ServerHarness.sample(#"bizone_forward_attempts_total{outcome="failure"}"#, in: text) == 0)
            #expect(ServerHarness.sample(#"bizone_forward_attempts_total{outcome="skipped"}"#, in: text) == 1)
        }
    }

    /// Sends are counted from the state, so those of any process on it show (a foreground
    /// `campaign run` included), and a second scrape does not count them again.
    @Test func sendsAreCountedFromTheState() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let at = Date()
            let run = try h.store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: at).run
            let phones = ["+6281200000001", "+6281200000002", "+6281200000003"]
            _ = try h.store.queueOutbox(runID: run.id, phones.map { OutboxRecipient(phone: $0) }, at: at)
            let claimed = try h.store.claimOutbox(runID: run.id, limit: 10, now: at)
            try h.store.recordOutboxResults(runID: run.id, claimed.prefix(2).map {
                .accepted(phone: $0.phone, wamid: "wamid.\($0.phone)", recipientID: nil)
            }, at: at)
            _ = try h.store.applyMessageStatus(MessageStatusEvent(wamid: "wamid.reply", status: "accepted", at: at,
                                                                  recipientID: "6281200000009"), eventID: 0)
            var text = try await h.scrape()
            #expect(ServerHarness.sample(#"bizone_sends_total{source="campaign"}"#, in: text) == 2)
            #expect(ServerHarness.sample(#"bizone_sends_total{source="reply"}"#, in: text) == 1)
            try h.store.recordOutboxResults(runID: run.id, claimed.suffix(1).map {
                .accepted(phone: $0.phone, wamid: "wamid.\($0.phone)", recipientID: nil)
            }, at: at)
            text = try await h.scrape()
            #expect(ServerHarness.sample(#"bizone_sends_total{source="campaign"}"#, in: text) == 3)
            #expect(ServerHarness.sample(#"bizone_sends_total{source="reply"}"#, in: text) == 1)
        }
    }

    /// SLA breaches any server recorded in the state show, by SLA and target, and count once.
    @Test func slaBreachesAreCountedFromTheState() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let at = Date(timeIntervalSince1970: 1_750_000_000)
            let new = try h.store.recordSLABreaches([
                SLABreach(conversationID: 1, sla: "support", target: .firstResponse, dueAt: at),
                SLABreach(conversationID: 2, sla: "support", target: .firstResponse, dueAt: at),
                SLABreach(conversationID: 2, sla: "support", target: .resolution, dueAt: at),
            ], at: at)
            #expect(new.count == 3)
            var text = try await h.scrape()
            #expect(ServerHarness.sample(#"bizone_sla_breaches_total{sla="support",target="firstResponse"}"#, in: text) == 2)
            #expect(ServerHarness.sample(#"bizone_sla_breaches_total{sla="support",target="resolution"}"#, in: text) == 1)
            // Recorded again (another round, another server): nothing new, the counter stays.
            #expect(try h.store.recordSLABreaches([SLABreach(conversationID: 1, sla: "support", target: .firstResponse, dueAt: at)], at: at).isEmpty)
            text = try await h.scrape()
            #expect(ServerHarness.sample(#"bizone_sla_breaches_total{sla="support",target="firstResponse"}"#, in: text) == 2)
        }
    }

    @Test func contentTypeIsPrometheusText() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let reply = try await h.get("/metrics")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(reply.text.contains("# TYPE bizone_webhook_signature_failures_total counter"))
            #expect(reply.text.contains("# TYPE bizone_event_backlog gauge"))
        }
    }
}
