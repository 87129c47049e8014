import BizOneModel
import Foundation
import MetaEmulator
import MetaGraph
import Testing
import TestSupport

@Suite("Template listing")
struct TemplateListingTests {
    @Test func limitTwoAcrossThreePages() async throws {
        try await Harness.run { h in
            for index in 1...5 { _ = try await h.create(name: "listed_\(index)") }
            let first = try MetaJSON.decode(TemplateListResponse.self,
                                            from: try await h.call("GET", "\(h.waba)/message_templates?limit=2").body)
            #expect(first.data.map(\.name) == ["listed_5", "listed_4"])
            #expect(first.paging?.cursors?.after != nil && first.paging?.cursors?.before != nil)
            #expect(first.paging?.previous == nil)
            let next = try #require(first.paging?.next)
            #expect(next.hasPrefix("\(h.emulator.baseURL)/v23.0/\(h.waba)/message_templates?"))
            #expect(next.contains("access_token=\(h.token)"))
            #expect(next.contains("limit=2"))

            // Follow `next` exactly as given (it carries the token).
            let second = try MetaJSON.decode(TemplateListResponse.self, from: try await Harness.send("GET", next, json: nil, token: nil).body)
            #expect(second.data.map(\.name) == ["listed_3", "listed_2"])
            #expect(second.paging?.next != nil)
            #expect(second.paging?.previous != nil)

            let after = try #require(second.paging?.cursors?.after)
            let third = try MetaJSON.decode(TemplateListResponse.self,
                                            from: try await h.call("GET", "\(h.waba)/message_templates?limit=2&after=\(after)").body)
            #expect(third.data.map(\.name) == ["listed_1"])
            #expect(third.paging?.next == nil)
            #expect(third.paging?.previous != nil)
            #expect(third.paging?.cursors?.after != nil)

            let before = try #require(second.paging?.cursors?.before)
            let back = try MetaJSON.decode(TemplateListResponse.self,
                                           from: try await h.call("GET", "\(h.waba)/message_templates?limit=2&before=\(before)").body)
            #expect(back.data.map(\.name) == ["listed_5", "listed_4"])
            #expect(back.paging?.previous == nil)

            let all = try await h.call("GET", "\(h.waba)/message_templates").json
            #expect(all["data"]?.array?.count == 5)
            #expect(all["paging"]?["next"] == nil)
            #expect(all["paging"]?["cursors"] != nil)
        }
    }

    @Test func unknownCursorIs100BeforeV24And131059After() async throws {
        try await Harness.run { h in
            _ = try await h.create(name: "anything")
            let old = try await h.call("GET", "\(h.waba)/message_templates?after=bogus", version: "v23.0")
            #expect(old.errorCode == 100)
            let new = try await h.call("GET", "\(h.waba)/message_templates?after=bogus", version: "v24.0")
            #expect(new.errorCode == 131_059)
        }
    }

    @Test func filtersAndFields() async throws {
        let rules = EmulatorRules(review: [ReviewRule(language: "es", delay: 60)])
        try await Harness.run(rules: rules) { h in
            let approved = try await h.approvedTemplate(name: "welcome")
            _ = try await h.create(name: "welcome", language: "es")
            _ = try await h.create(name: "promo", category: "MARKETING")
            try await h.control.reject(templateID: try #require(await h.control.templates().first { $0.name == "promo" }?.id),
                                       RejectRequest(reason: "PROMOTIONAL"))

            func names(_ query: String) async throws -> [String] {
                let reply = try await h.call("GET", "\(h.waba)/message_templates?\(query)")
                #expect(reply.status == 200, "\(query): \(String(decoding: reply.body, as: UTF8.self))")
                var result: [String] = []
                for item in reply.json["data"]?.array ?? [] {
                    let name = item["name"]?.stringValue ?? "?"
                    let language = item["language"]?.stringValue ?? "?"
                    result.append("\(name)@\(language)")
                }
                return result
            }
            #expect(try await names("name=welcome").sorted() == ["welcome@en_US", "welcome@es"])
            #expect(try await names("name=welcom") == [])
            #expect(try await names("status=approved") == ["welcome@en_US"])
            #expect(try await names("status=REJECTED,approved").sorted() == ["promo@en_US", "welcome@en_US"])
            #expect(try await names("language=es") == ["welcome@es"])
            #expect(try await names("category=marketing") == ["promo@en_US"])

            let slim = try await h.call("GET", "\(h.waba)/message_templates?fields=name&name=welcome&language=en_US").json
            #expect(slim["data"] == [["name": "welcome", "id": .string(approved)]])
            let bad = try await h.call("GET", "\(h.waba)/message_templates?fields=name,bogus")
            #expect(bad.errorCode == 100)
        }
    }
}
