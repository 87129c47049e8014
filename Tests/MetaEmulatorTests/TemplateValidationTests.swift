import BizOneModel
import Foundation
import MetaEmulator
import Testing
import TestSupport

@Suite("Template validation")
struct TemplateValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var request: JSONValue
        var code: Int
        var subcode: Int?
        var testDescription: String { label }
    }

    static func template(name: String = "check_me", category: JSONValue = "UTILITY", language: JSONValue = "en_US",
                         components: JSONValue) -> JSONValue {
        ["name": .string(name), "language": language, "category": category, "components": components]
    }

    static func body(_ text: String, _ examples: [String] = []) -> JSONValue {
        var component: [String: JSONValue] = ["type": "BODY", "text": .string(text)]
        if !examples.isEmpty { component["example"] = ["body_text": .array([.array(examples.map(JSONValue.string))])] }
        return .object(component)
    }

    static let cases: [Case] = [
        Case(label: "body too long", request: template(components: [body(String(repeating: "a", count: 1025))]), code: 100, subcode: 2_388_040),
        Case(label: "variable at start", request: template(components: [body("{{1}}, your order is ready.", ["Siti"])]), code: 100, subcode: 2_388_299),
        Case(label: "variable at end", request: template(components: [body("Your order is ready, {{1}}", ["Siti"])]), code: 100, subcode: 2_388_299),
        Case(label: "missing example", request: template(components: [body("Hello {{1}}, thanks.")]), code: 100, subcode: 2_388_043),
        Case(label: "example count", request: template(components: [body("Hello {{1}}, thanks.", ["a", "b"])]), code: 100, subcode: 2_388_072),
        Case(label: "gap in numbering", request: template(components: [body("Hi {{1}} and {{3}} there.", ["a", "b"])]), code: 100, subcode: 2_388_072),
        Case(label: "named in positional", request: template(components: [body("Hi {{name}} there.", ["a"])]), code: 100, subcode: 2_388_072),
        Case(label: "no body", request: template(components: [["type": "FOOTER", "text": "Bye"]]), code: 100, subcode: 2_388_072),
        Case(label: "header two variables",
             request: template(components: [["type": "HEADER", "format": "TEXT", "text": "{{1}} and {{2}}", "example": ["header_text": ["a", "b"]]],
                                            body("Plain body text.")]), code: 100, subcode: 2_388_047),
        Case(label: "header too long",
             request: template(components: [["type": "HEADER", "format": "TEXT", "text": .string(String(repeating: "h", count: 61))],
                                            body("Plain body text.")]), code: 100, subcode: 2_388_040),
        Case(label: "footer variable", request: template(components: [body("Plain body text."), ["type": "FOOTER", "text": "Bye {{1}}"]]),
             code: 100, subcode: 2_388_073),
        Case(label: "too many variables",
             request: template(components: [body("Hi {{1}} {{2}}, {{3}}.", ["a", "b", "c"])]), code: 100, subcode: 2_388_293),
        Case(label: "buttons not grouped",
             request: template(components: [body("Plain body text."), ["type": "BUTTONS", "buttons": [
                 ["type": "QUICK_REPLY", "text": "A"], ["type": "URL", "text": "Go", "url": "https://x.test"], ["type": "QUICK_REPLY", "text": "B"],
             ]]]), code: 100, subcode: nil),
        Case(label: "url variable without example",
             request: template(components: [body("Plain body text."), ["type": "BUTTONS", "buttons": [
                 ["type": "URL", "text": "Track", "url": "https://x.test/track/{{1}}"],
             ]]]), code: 100, subcode: 2_388_043),
        Case(label: "bad name", request: template(name: "Bad-Name", components: [body("Plain body text.")]), code: 100, subcode: nil),
        Case(label: "bad language", request: template(language: "xx_XX", components: [body("Plain body text.")]), code: 100, subcode: nil),
        Case(label: "bad category", request: template(category: "PROMO", components: [body("Plain body text.")]), code: 100, subcode: nil),
    ]

    @Test(arguments: cases)
    func refusedWithMetaSubcode(_ testCase: Case) async throws {
        try await Harness.run { h in
            let reply = try await h.createTemplate(testCase.request)
            #expect(reply.status == 400, "\(String(decoding: reply.body, as: UTF8.self))")
            #expect(reply.errorCode == testCase.code)
            #expect(reply.errorSubcode == testCase.subcode)
            if testCase.subcode != nil {
                #expect(reply.json["error"]?["error_user_title"]?.stringValue?.isEmpty == false)
                #expect(reply.json["error"]?["error_user_msg"]?.stringValue?.isEmpty == false)
            }
            #expect(reply.json["error"]?["fbtrace_id"]?.stringValue != nil)
        }
    }

    @Test func duplicateLanguageIs2388024AndLowerCaseIsNormalised() async throws {
        try await Harness.run { h in
            let reply = try await h.createTemplate([
                "name": "shipping", "language": "en_US", "category": "marketing",
                "components": [
                    ["type": "header", "format": "text", "text": "Our {{1}} is on!", "example": ["header_text": ["Summer Sale"]]],
                    h.bodyComponent("Hello {{1}}, your order {{2}} has shipped.", examples: ["Siti", "A-1"]),
                    ["type": "footer", "text": "Reply STOP to opt out"],
                    ["type": "buttons", "buttons": [["type": "quick_reply", "text": "Stop"],
                                                    ["type": "url", "text": "Track", "url": "https://x.test/t/{{1}}", "example": ["A1"]]]],
                ],
            ])
            #expect(reply.status == 200)
            let id = try #require(reply.json["id"]?.stringValue)
            let stored = try await h.call("GET", "\(id)?fields=components,category").json
            #expect(stored["category"]?.stringValue == "MARKETING")
            let components = try #require(stored["components"]?.array)
            #expect(components.map { $0["type"]?.stringValue } == ["HEADER", "BODY", "FOOTER", "BUTTONS"])
            #expect(components[0]["format"]?.stringValue == "TEXT")
            #expect(components[3]["buttons"]?[0]?["type"]?.stringValue == "QUICK_REPLY")

            let again = try await h.createTemplate([
                "name": "shipping", "language": "en_US", "category": "MARKETING",
                "components": [h.bodyComponent("Another text entirely.", examples: [])],
            ])
            #expect(again.errorCode == 100)
            #expect(again.errorSubcode == 2_388_024)
            #expect(again.json["error"]?["error_user_title"]?.stringValue == "Content in this language already exists")
            _ = try await h.create(name: "shipping", language: "es")
        }
    }

    @Test func templateLimitIs2388019() async throws {
        try await Harness.run(limits: EmulatorLimits(templatesPerAccount: 1)) { h in
            _ = try await h.create(name: "only_one")
            let reply = try await h.createTemplate(["name": "second", "language": "en", "category": "UTILITY",
                                                    "components": [h.bodyComponent("Plain text.", examples: [])]])
            #expect(reply.errorSubcode == 2_388_019)
        }
    }
}
