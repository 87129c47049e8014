import BizOneModel
import Foundation
import MetaEmulator
import Testing
import TestSupport

@Suite("Template edit and delete")
struct TemplateEditDeleteTests {
    static let newBody: JSONValue = [["type": "BODY", "text": "Hi {{1}}, order {{2}} is on its way.",
                                      "example": ["body_text": [["Siti", "A-1"]]]]]

    /// On manual time: the edit is PENDING until the clock passes the review delay.
    @Test func secondEditOfApprovedTemplateExceedsQuota() async throws {
        try await Harness.run(clock: ManualClock()) { h in
            let id = try await h.approvedTemplate(name: "editable")
            let first = try await h.call("POST", id, json: ["components": Self.newBody])
            #expect(first.json == ["success": true])
            #expect(try await h.call("GET", "\(id)?fields=status").json["status"]?.stringValue == "PENDING")
            h.passReviewDelay()
            try await h.waitForStatus(id, "APPROVED")
            let body = try await h.call("GET", "\(id)?fields=components").json["components"]?[0]?["text"]?.stringValue
            #expect(body == "Hi {{1}}, order {{2}} is on its way.")

            let second = try await h.call("POST", id, json: ["components": Self.newBody])
            #expect(second.status == 400)
            #expect(second.errorCode == 100)
            #expect(second.errorSubcode == 2_388_115)
            #expect(second.json["error"]?["error_user_msg"]?.stringValue?.contains("per 24 hours") == true)

            let category = try await h.call("POST", id, json: ["category": "MARKETING"])
            #expect(category.errorCode == 100)
            #expect(category.json["error"]?["error_user_title"]?.stringValue == "Category can't be changed")
        }
    }

    @Test func rejectedTemplatesEditWithoutQuotaAndPendingOnesNot() async throws {
        let rules = EmulatorRules(review: [ReviewRule(body: try RulePattern("(?i)forbidden"), verdict: .reject, reason: "ABUSIVE_CONTENT"),
                                          ReviewRule(name: try RulePattern("^slow$"), delay: 60)])
        // On manual time, so `slow` is surely still PENDING when it is edited.
        try await Harness.run(rules: rules, clock: ManualClock()) { h in
            let id = try await h.create(name: "fix_me", body: "This is forbidden {{1}} text {{2}} here.")
            h.passReviewDelay()
            try await h.waitForStatus(id, "REJECTED")
            for _ in 0..<2 {
                let edit = try await h.call("POST", id, json: ["components": [["type": "BODY", "text": "This is forbidden still."]]])
                #expect(edit.status == 200)
                h.passReviewDelay()
                try await h.waitForStatus(id, "REJECTED")
            }
            let pending = try await h.create(name: "slow", body: "Just text here.", examples: [])
            let edit = try await h.call("POST", pending, json: ["components": Self.newBody])
            #expect(edit.errorCode == 100)
        }
    }

    @Test func deleteByHsmIDRemovesOneLanguageAndByNameAll() async throws {
        try await Harness.run { h in
            let english = try await h.create(name: "bilingual")
            let spanish = try await h.create(name: "bilingual", language: "es")
            let other = try await h.create(name: "keeper")

            let missingName = try await h.call("DELETE", "\(h.waba)/message_templates?hsm_id=\(spanish)")
            #expect(missingName.errorCode == 100)

            let one = try await h.call("DELETE", "\(h.waba)/message_templates?name=bilingual&hsm_id=\(spanish)")
            #expect(one.json == ["success": true])
            var ids = Set(await h.control.templates().map(\.id))
            #expect(ids == [english, other])

            let all = try await h.call("DELETE", "\(h.waba)/message_templates?name=bilingual")
            #expect(all.json == ["success": true])
            ids = Set(await h.control.templates().map(\.id))
            #expect(ids == [other])
            #expect(try await h.call("GET", english).errorSubcode == 33)

            let gone = try await h.call("DELETE", "\(h.waba)/message_templates?name=bilingual")
            #expect(gone.errorCode == 100)
        }
    }

    @Test func disabledCannotBeDeletedAndApprovedNamesAreLocked() async throws {
        try await Harness.run { h in
            let id = try await h.approvedTemplate(name: "locked_name")
            try await h.control.disable(templateID: id)
            let refused = try await h.call("DELETE", "\(h.waba)/message_templates?name=locked_name")
            #expect(refused.errorCode == 100)
            #expect(refused.json["error"]?["error_user_title"]?.stringValue == "Disabled templates can't be deleted")

            let other = try await h.approvedTemplate(name: "reused_name")
            #expect(try await h.call("DELETE", "\(h.waba)/message_templates?name=reused_name").status == 200)
            let again = try await h.createTemplate(["name": "reused_name", "language": "en_US", "category": "UTILITY",
                                                    "components": [h.bodyComponent("Plain text.", examples: [])]])
            #expect(again.errorSubcode == 2_388_023)
            _ = other
        }
    }
}
