import BizOneModel
import Foundation
import MetaEmulator
import Testing
import TestSupport

@Suite("Control endpoints and rules")
struct ControlTests {
    @Test func controlOverHTTP() async throws {
        let rules = EmulatorRules(review: [ReviewRule(name: try RulePattern("^manual_"), delay: 60)])
        try await Harness.run(rules: rules) { h in
            let id = try await h.create(name: "manual_review")
            let approved = try await h.control("POST", "templates/\(id)/approve")
            #expect(approved.status == 200)
            #expect(approved.json["status"]?.stringValue == "APPROVED")
            let paused = try await h.control("POST", "templates/\(id)/pause")
            #expect(paused.json["status"]?.stringValue == "PAUSED")
            #expect(try await h.sendTemplate(to: "+6281234567890", name: "manual_review").errorCode == 132_015)
            let again = try await h.control("POST", "templates/\(id)/pause")
            #expect(again.status == 409)
            #expect(try await h.control("POST", "templates/\(id)/unpause").json["status"]?.stringValue == "APPROVED")
            let quality = try await h.control("POST", "templates/\(id)/quality", json: ["score": "yellow"])
            #expect(quality.json["qualityScore"]?["score"]?.stringValue == "YELLOW")
            let rejected = try await h.control("POST", "templates/\(id)/reject", json: ["reason": "TAG_CONTENT_MISMATCH"])
            #expect(rejected.json["rejectedReason"]?.stringValue == "TAG_CONTENT_MISMATCH")
            #expect(try await h.control("POST", "templates/123/approve").status == 404)
            #expect(try await h.control("GET", "nonsense").status == 404)

            let stats = try await h.control("GET", "stats").json
            #expect(stats["templates"]?["REJECTED"]?.int == 1)
            #expect(stats["errors"]?["132015"]?.int == 1)
            let templates = try await h.control("GET", "templates").json
            #expect(templates.array?.count == 1)
            let requests = try await h.control("GET", "requests").json
            #expect((requests.array?.count ?? 0) >= 2)

            #expect(try await h.control("POST", "reset").status == 200)
            #expect(await h.control.templates().isEmpty)
            #expect(await h.control.stats().requests == 0)
        }
    }

    @Test func rulesOverHTTP() async throws {
        try await Harness.run { h in
            let yaml = """
            review:
              - body: "(?i)lottery"
                reason: SCAM
            """
            let reply = try await Harness.sendText("POST", "\(h.emulator.baseURL)/_emulator/rules", body: yaml)
            #expect(reply.status == 200)
            let id = try await h.create(name: "winner", body: "You won the lottery {{1}} today {{2}} friend.")
            try await h.waitForStatus(id, "REJECTED")
            let bad = try await Harness.sendText("POST", "\(h.emulator.baseURL)/_emulator/rules", body: "review: [{name: \"(\"}]")
            #expect(bad.status == 400)
        }
    }

    @Test func rulesFileParsing() throws {
        let rules = try EmulatorRules.parse("""
        review:
          - name: "^promo_"
            body: "(?i)free money"
            verdict: reject
            reason: scam
          - category: utility
            recategorize: marketing
          - language: de
            delay: 5
            immediate: true
        recipients:
          - match: "^\\\\+?15550000001$"
            fail: 131026
          - match: "15550000002"
            neverRead: true
        limits: { messagesPerSecond: 20, pairBurst: 3 }
        timing: { reviewDelay: 0.2 }
        webhook: { duplicate: true, reorder: 2 }
        """)
        #expect(rules.review.count == 3)
        #expect(rules.review[0].verdict == .reject)
        #expect(rules.review[0].reason == "SCAM")
        #expect(rules.review[1].verdict == .approve)
        #expect(rules.review[1].recategorize == "MARKETING")
        #expect(rules.review[2].immediate)
        #expect(rules.recipients[0].fail == 131_026)
        #expect(rules.recipients[0].match.matches("+15550000001"))
        #expect(!rules.recipients[0].match.matches("+155500000012"))
        #expect(rules.recipients[1].neverRead)
        let configuration = EmulatorConfiguration(rules: rules).effective
        #expect(configuration.limits.messagesPerSecond == 20)
        #expect(configuration.limits.pairBurst == 3)
        #expect(configuration.limits.pairInterval == 6)
        #expect(configuration.timing.reviewDelay == 0.2)
        #expect(configuration.webhookBehaviour == WebhookBehaviour(duplicate: true, reorder: 2))

        let json = try EmulatorRules.parse(#"{"review":[{"name":"^x","reason":"PROMOTIONAL"}]}"#)
        #expect(json.review.first?.verdict == .reject)

        #expect(throws: EmulatorRulesError.self) { try EmulatorRules.parse("review: [{name: \"(\"}]") }
        #expect(throws: EmulatorRulesError.self) { try EmulatorRules.parse("review: [{reason: NOPE}]") }
        #expect(throws: EmulatorRulesError.self) { try EmulatorRules.load(path: "/nonexistent/rules.yaml") }
    }

    @Test func loadsRulesFromAFile() throws {
        try withTemporaryDirectory(prefix: "emulator-rules") { directory in
            let file = try directory.write("rules.yaml", "recipients:\n  - match: \"^\\\\+1\"\n    skipDelivered: true\n")
            let rules = try EmulatorRules.load(path: file)
            #expect(rules.recipients.first?.skipDelivered == true)
        }
    }
}

