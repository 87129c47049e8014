import BizOneModel
import Foundation
import MetaEmulator
import MetaGraph
import Testing
import TestSupport

@Suite("Sending")
struct SendTests {
    @Test func templateSendResponseShape() async throws {
        try await Harness.run { h in
            _ = try await h.approvedTemplate(name: "shipped")
            let reply = try await h.sendTemplate(to: "+62 812-3456-7890", name: "shipped")
            #expect(reply.status == 200)
            let response = try MetaJSON.decode(SendMessageResponse.self, from: reply.body)
            #expect(response.messagingProduct == "whatsapp")
            #expect(response.contacts == [.init(input: "+62 812-3456-7890", waID: "6281234567890")])
            #expect(response.messages.first?.id.hasPrefix("wamid.") == true)
            #expect(response.messages.first?.messageStatus == "accepted")
        }
    }

    @Test func unapprovedOrMissingTemplateIs132001() async throws {
        let rules = EmulatorRules(review: [ReviewRule(name: try RulePattern("^slow_"), delay: 60)])
        try await Harness.run(rules: rules) { h in
            _ = try await h.create(name: "slow_review")
            let pending = try await h.sendTemplate(to: "+6281234567890", name: "slow_review")
            #expect(pending.errorCode == 132_001)
            #expect(pending.status == 404)
            #expect(pending.json["error"]?["error_data"]?["messaging_product"]?.stringValue == "whatsapp")
            _ = try await h.approvedTemplate(name: "ready")
            let wrongLanguage = try await h.sendTemplate(to: "+6281234567890", name: "ready", language: "en")
            #expect(wrongLanguage.errorCode == 132_001)
            #expect(wrongLanguage.json["error"]?["error_data"]?["details"]?.stringValue == "template name (ready) does not exist in en")
        }
    }

    @Test func pausedAndDisabledTemplates() async throws {
        try await Harness.run { h in
            let id = try await h.approvedTemplate(name: "fragile")
            try await h.control.pause(templateID: id)
            #expect(try await h.sendTemplate(to: "+6281234567890", name: "fragile").errorCode == 132_015)
            try await h.control.unpause(templateID: id)
            #expect(try await h.sendTemplate(to: "+6281234567890", name: "fragile").status == 200)
            try await h.control.disable(templateID: id)
            #expect(try await h.sendTemplate(to: "+6281234567890", name: "fragile").errorCode == 132_016)
        }
    }

    @Test func parameterCountAndFormat() async throws {
        try await Harness.run { h in
            _ = try await h.approvedTemplate(name: "two_params")
            let short = try await h.sendTemplate(to: "+6281234567890", name: "two_params", parameters: ["only one"])
            #expect(short.errorCode == 132_000)
            let none = try await h.sendTemplate(to: "+6281234567890", name: "two_params", parameters: [])
            #expect(none.errorCode == 132_000)

            let named = try await h.send([
                "messaging_product": "whatsapp", "to": "+6281234567890", "type": "template",
                "template": ["name": "two_params", "language": ["code": "en_US"], "components": [[
                    "type": "body", "parameters": [["type": "text", "parameter_name": "a", "text": "x"],
                                                   ["type": "text", "parameter_name": "b", "text": "y"]],
                ]]],
            ])
            #expect(named.errorCode == 132_012)
        }
    }

    @Test func urlButtonParameterIsRequired() async throws {
        try await Harness.run { h in
            let buttons: JSONValue = [["type": "BUTTONS", "buttons": [["type": "URL", "text": "Track", "url": "https://x.test/t/{{1}}",
                                                                        "example": ["A1"]]]]]
            _ = try await h.approvedTemplate(name: "with_link", body: "Your parcel is on its way.", examples: [],
                                             extra: ["components": buttons])
            let missing = try await h.sendTemplate(to: "+6281234567890", name: "with_link", parameters: [])
            #expect(missing.errorCode == 132_000)
            let complete = try await h.send([
                "messaging_product": "whatsapp", "to": "+6281234567890", "type": "template",
                "template": ["name": "with_link", "language": ["code": "en_US"], "components": [
                    ["type": "button", "sub_type": "url", "index": "0", "parameters": [["type": "text", "text": "A1"]]],
                ]],
            ])
            #expect(complete.status == 200)
        }
    }

    @Test func textNeedsTheWindowThatInboundOpens() async throws {
        try await Harness.run { h in
            let refused = try await h.sendText(to: "+6281234567890", "Hello")
            #expect(refused.errorCode == 131_047)
            #expect(refused.status == 400)

            let inbound = try await h.control("POST", "inbound", json: ["from": "+6281234567890", "name": "Siti", "text": "STOP"])
            #expect(inbound.status == 200)
            let arrived = await eventually { await h.webhookValues(field: "messages").contains { $0["messages"] != nil } }
            #expect(arrived)
            let value = try #require(await h.webhookValues(field: "messages").first { $0["messages"] != nil })
            #expect(value["metadata"]?["display_phone_number"]?.stringValue == "15550100100")
            #expect(value["metadata"]?["phone_number_id"]?.stringValue == h.phone)
            #expect(value["contacts"]?[0]?["wa_id"]?.stringValue == "6281234567890")
            #expect(value["contacts"]?[0]?["profile"]?["name"]?.stringValue == "Siti")
            #expect(value["messages"]?[0]?["from"]?.stringValue == "6281234567890")
            #expect(value["messages"]?[0]?["type"]?.stringValue == "text")
            #expect(value["messages"]?[0]?["text"]?["body"]?.stringValue == "STOP")
            #expect(value["messages"]?[0]?["id"]?.stringValue == inbound.json["id"]?.stringValue)

            let allowed = try await h.sendText(to: "6281234567890", "Hello again")
            #expect(allowed.status == 200)
            #expect(allowed.json["messages"]?[0]?["message_status"] == nil)
            let read = try await h.send(["messaging_product": "whatsapp", "status": "read",
                                         "message_id": .string(try #require(inbound.json["id"]?.stringValue))])
            #expect(read.json == ["success": true])
        }
    }

    @Test func inboundFromUsernameOnlyUser() async throws {
        try await Harness.run { h in
            try await h.control.inbound(InboundRequest(name: "Sheena", text: "hi", userId: "US.13491208655302741918", username: "@sheena"))
            let arrived = await eventually { await h.webhookValues(field: "messages").count == 1 }
            #expect(arrived)
            let value = try #require(await h.webhookValues(field: "messages").first)
            #expect(value["contacts"]?[0]?["wa_id"]?.stringValue == "")
            #expect(value["contacts"]?[0]?["user_id"]?.stringValue == "US.13491208655302741918")
            #expect(value["messages"]?[0]?["from"]?.stringValue == "")
            #expect(value["messages"]?[0]?["from_user_id"]?.stringValue == "US.13491208655302741918")
            let reply = try await h.sendText(to: "US.13491208655302741918", "Hello")
            #expect(reply.status == 200)
            #expect(reply.json["contacts"]?[0]?["wa_id"]?.stringValue == "")
            #expect(reply.json["contacts"]?[0]?["user_id"]?.stringValue == "US.13491208655302741918")
        }
    }

    @Test func invalidRequests() async throws {
        try await Harness.run { h in
            #expect(try await h.send(["to": "+6281234567890", "type": "text", "text": ["body": "x"]]).errorCode == 100)
            #expect(try await h.send(["messaging_product": "whatsapp", "to": "12", "type": "text", "text": ["body": "x"]]).errorCode == 100)
            #expect(try await h.send(["messaging_product": "whatsapp", "to": "+6281234567890", "type": "fax"]).errorCode == 100)
            let text = try await h.send(["messaging_product": "whatsapp", "to": "+6281234567890", "type": "text", "text": [:]])
            #expect(text.json["error"]?["message"]?.stringValue == "(#100) The parameter text['body'] is required")
        }
    }

    @Test func sameSeedSameWamids() async throws {
        func wamids(seed: UInt64) async throws -> [String] {
            var ids: [String] = []
            try await Harness.run(seed: seed, webhooks: false) { h in
                _ = try await h.approvedTemplate(name: "seeded")
                for recipient in ["+6281234567890", "+6281234567891", "+6281234567890"] {
                    let reply = try await h.sendTemplate(to: recipient, name: "seeded")
                    ids.append(try #require(reply.json["messages"]?[0]?["id"]?.stringValue))
                }
                await h.control.reset()
                _ = try await h.approvedTemplate(name: "seeded")
                let reply = try await h.sendTemplate(to: "+6281234567890", name: "seeded")
                ids.append(try #require(reply.json["messages"]?[0]?["id"]?.stringValue))
            }
            return ids
        }
        let first = try await wamids(seed: 7)
        let second = try await wamids(seed: 7)
        let other = try await wamids(seed: 8)
        #expect(first == second)
        #expect(Set(first.prefix(3)).count == 3)
        #expect(first[3] == first[0])
        #expect(first != other)
    }
}
