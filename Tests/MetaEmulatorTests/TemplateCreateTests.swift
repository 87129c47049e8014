import BizOneModel
import Foundation
import MetaEmulator
import MetaGraph
import Testing
import TestSupport

@Suite("Template create and review")
struct TemplateCreateTests {
    @Test func createIsPendingThenApprovedByWebhook() async throws {
        try await Harness.run { h in
            let reply = try await h.createTemplate([
                "name": "order_confirmation", "language": "en_US", "category": "utility", "parameter_format": "named",
                "components": [[
                    "type": "body", "text": "Thank you, {{first_name}}! Your order number is {{order_number}}.",
                    "example": ["body_text_named_params": [["param_name": "first_name", "example": "Pablo"],
                                                           ["param_name": "order_number", "example": "860198-230332"]]],
                ]],
            ])
            #expect(reply.status == 200)
            let created = try MetaJSON.decode(CreateTemplateResponse.self, from: reply.body)
            #expect(created.status == "PENDING")
            #expect(created.category == "UTILITY")
            #expect(created.id.count == 16 && created.id.allSatisfy(\.isNumber))

            let arrived = await eventually { await h.webhookValues(field: "message_template_status_update").count == 1 }
            #expect(arrived)
            let value = try #require(await h.webhookValues(field: "message_template_status_update").first)
            #expect(value["event"]?.stringValue == "APPROVED")
            #expect(value["reason"]?.stringValue == "NONE")
            #expect(value["message_template_id"]?.int == Int(created.id))
            #expect(value["message_template_name"]?.stringValue == "order_confirmation")
            #expect(value["message_template_language"]?.stringValue == "en_US")
            #expect(value["message_template_category"]?.stringValue == "UTILITY")
            let body = try #require(await h.webhookBodies().first)
            #expect(body["entry"]?[0]?["id"]?.stringValue == h.waba)
            #expect(body["entry"]?[0]?["time"]?.int != nil)

            let template = try MetaJSON.decode(MessageTemplate.self, from: try await h.call("GET", created.id).body)
            #expect(template.status == "APPROVED")
            #expect(template.parameterFormat == "NAMED")
            #expect(template.components?.first?.type == "BODY")
            let status = try await h.call("GET", "\(created.id)?fields=status").json
            #expect(status == ["status": "APPROVED", "id": .string(created.id)])
            let quality = try await h.call("GET", "\(created.id)?fields=quality_score").json
            #expect(quality["quality_score"]?["score"]?.stringValue == "UNKNOWN")
            #expect(quality["quality_score"]?["date"]?.int != nil)
        }
    }

    @Test func ruleRejectsWithInvalidFormatAndRejectionInfo() async throws {
        let rules = try EmulatorRules.parse("""
        review:
          - name: "^bad_"
            verdict: reject
            reason: INVALID_FORMAT
            rejectionReason: "The body is unclear."
            recommendation: "Say what the message is about."
        """)
        try await Harness.run(rules: rules) { h in
            let id = try await h.create(name: "bad_copy")
            try await h.waitForStatus(id, "REJECTED")
            #expect(await eventually { await h.webhookValues(field: "message_template_status_update").count == 1 })
            let value = try #require(await h.webhookValues(field: "message_template_status_update").first)
            #expect(value["event"]?.stringValue == "REJECTED")
            #expect(value["reason"]?.stringValue == "INVALID_FORMAT")
            #expect(value["rejection_info"]?["reason"]?.stringValue == "The body is unclear.")
            #expect(value["rejection_info"]?["recommendation"]?.stringValue == "Say what the message is about.")
            let read = try await h.call("GET", "\(id)?fields=status,rejected_reason").json
            #expect(read["rejected_reason"]?.stringValue == "INVALID_FORMAT")
        }
    }

    @Test func adjacentVariablesAreRejectedInReview() async throws {
        try await Harness.run { h in
            let id = try await h.create(name: "adjacent", body: "Hi {{1}} {{2}} thanks.")
            try await h.waitForStatus(id, "REJECTED")
            #expect(await eventually { await h.webhookValues(field: "message_template_status_update").count == 1 })
            let value = try #require(await h.webhookValues(field: "message_template_status_update").first)
            #expect(value["reason"]?.stringValue == "INVALID_FORMAT")
            #expect(value["rejection_info"]?["reason"]?.stringValue?.contains("next to each other") == true)
        }
    }

    @Test func immediateVerdictAndRecategorisation() async throws {
        let rules = EmulatorRules(review: [
            ReviewRule(name: try RulePattern("^instant_"), verdict: .approve, recategorize: "MARKETING", immediate: true),
            ReviewRule(name: try RulePattern("^spam_"), verdict: .reject, reason: "SCAM"),
        ])
        try await Harness.run(rules: rules) { h in
            let reply = try await h.createTemplate([
                "name": "instant_offer", "language": "en", "category": "UTILITY",
                "components": [h.bodyComponent("Your discount code is ready, friend.", examples: [])],
            ])
            #expect(reply.json["status"]?.stringValue == "APPROVED")
            #expect(reply.json["category"]?.stringValue == "MARKETING")
            let arrived = await eventually { await h.webhookValues(field: "template_category_update").count == 1 }
            #expect(arrived)
            let update = try #require(await h.webhookValues(field: "template_category_update").first)
            #expect(update["previous_category"]?.stringValue == "UTILITY")
            #expect(update["new_category"]?.stringValue == "MARKETING")
            let id = try #require(reply.json["id"]?.stringValue)
            let read = try await h.call("GET", id).json
            #expect(read["previous_category"]?.stringValue == "UTILITY")

            let spam = try await h.create(name: "spam_win")
            try await h.waitForStatus(spam, "REJECTED")
            #expect(await eventually { await h.webhookValues(field: "message_template_status_update").count == 2 })
            let rejected = await h.webhookValues(field: "message_template_status_update").last
            #expect(rejected?["reason"]?.stringValue == "SCAM")
            #expect(rejected?["rejection_info"] == nil)
        }
    }

    @Test func creationRateLimitIs80007() async throws {
        try await Harness.run(limits: EmulatorLimits(templateCreatesPerHour: 2)) { h in
            _ = try await h.create(name: "one")
            _ = try await h.create(name: "two")
            let third = try await h.createTemplate([
                "name": "three", "language": "en_US", "category": "UTILITY",
                "components": [h.bodyComponent("Plain text only.", examples: [])],
            ])
            #expect(third.errorCode == 80007)
            #expect(third.json["error"]?["is_transient"]?.bool == true)
            let retryAfter = try #require(third.headers["retry-after"].flatMap { Int($0) })
            #expect(retryAfter > 3500 && retryAfter <= 3600)
        }
    }
}
