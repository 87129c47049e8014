@testable import BizOneConfig
import BizOneModel
import Foundation
import Testing
import TestSupport
// Not a declared dependency of this test target; visible through BizOneConfig.
import Yams

/// `ResourceWriter`: imported templates written as YAML load back as the same spec.
@Suite struct ResourceWriterTests {
    // MARK: - Helpers

    /// A spec from JSON in the friendly shape with the loader's defaults filled in, as
    /// `TemplateImport.spec(from:)` returns it.
    static func spec(_ json: String) throws -> TemplateSpec {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        return try SchemaDefaults.fill(value, schema: .object(TemplateSpec.schema)).decode(TemplateSpec.self)
    }

    /// Writes `documents` (file name -> text) next to an Integration and loads the directory.
    static func load(_ documents: [(String, String)]) throws -> PipelineLoader.Result {
        try withTemporaryDirectory { directory in
            try directory.write("integration.yaml", YAML.integration)
            for (name, text) in documents { try directory.write("templates/\(name)", text) }
            return PipelineLoader().load(paths: [directory.path])
        }
    }

    /// Writes `spec` under `name`, loads it and returns the loaded template resource.
    @discardableResult
    static func roundTrip(_ spec: TemplateSpec, name: String, labels: [String: String] = [:],
                          sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Resource? {
        let text = ResourceWriter.yaml(for: spec, name: name, labels: labels, schemaComment: "../schemas/template.schema.json")
        let result = try load([(ResourceWriter.fileName(name: name, language: spec.language), text)])
        #expect(result.errors.isEmpty, "\(result.errors)\n\(text)", sourceLocation: sourceLocation)
        let resource = result.desired?[ResourceID(kind: .template, name: name, language: spec.language)]
        guard case .template(let loaded)? = resource?.spec else {
            Issue.record("template \(name) not loaded from:\n\(text)", sourceLocation: sourceLocation)
            return nil
        }
        #expect(loaded == spec, "\(text)", sourceLocation: sourceLocation)
        // Byte for byte (String's == would accept a different Unicode normalisation).
        let expected = try JSONValue(encoding: spec).canonicalString
        #expect(Array(resource?.content["spec"]?.canonicalString.utf8 ?? "".utf8) == Array(expected.utf8), "\(text)",
                sourceLocation: sourceLocation)
        #expect(resource?.metadata.labels == labels, sourceLocation: sourceLocation)
        return resource
    }

    // MARK: - Imported templates (Meta's documented payloads, as TemplateImport reads them)

    struct ImportedCase: Sendable, CustomTestStringConvertible {
        var name: String
        var spec: String
        var testDescription: String { name }
    }

    static let imported: [ImportedCase] = [
        ImportedCase(name: "order_confirmation", spec: #"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"named",
             "body":{"text":"Thank you, {{first_name}}! Your order number is {{order_number}}.",
                     "examples":{"first_name":"Pablo","order_number":"860198-230332"}}}
            """#),
        ImportedCase(name: "order_confirmation_positional", spec: #"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"positional",
             "body":{"text":"Hi {{1}}! Your order number is {{2}}. Thank you.","examples":{"1":"Pablo","2":"860198-230332"}}}
            """#),
        ImportedCase(name: "seasonal_promotion_text_only", spec: #"""
            {"language":"en","category":"MARKETING","parameterFormat":"positional",
             "header":{"format":"TEXT","text":"Our {{1}} is on!","examples":{"1":"Summer Sale"}},
             "body":{"text":"Shop now through {{1}} and use code {{2}} to get {{3}} off of all merchandise.",
                     "examples":{"1":"the end of August","2":"25OFF","3":"25%"}},
             "footer":"Use the buttons below to manage your marketing subscriptions",
             "buttons":[{"type":"QUICK_REPLY","text":"Unsubcribe from Promos"},{"type":"QUICK_REPLY","text":"Unsubscribe from All"}]}
            """#),
        ImportedCase(name: "limited_time_offer_tuscan_getaway_2023", spec: #"""
            {"language":"en_US","category":"MARKETING","parameterFormat":"positional",
             "header":{"format":"IMAGE","mediaExample":"4::aW1hZ2UvanBn:ARYytyb0kLp5htbBB8vWlclG5M9gMBxiEyt4FNCvrueWBOmFmRAztEuNtPGUnEC22Etc_SAAVU0YJOk3B7A-JuR1241_nq7gfITFxXKdDGnfvw:e:1681000441:634974688087057:100089620928913:ARbB4l0IPRncfMF-1sE\n4::aW1hZ2UvanBn:ARZewDmbZuoq3rGUO1WgXjJEYcI1Tt7jr_Z6o2-oD5rg4--AQarBV_S1BYEcR8INJkctK0lNJmQ5v7PsBo-vqB-N0DSTe2-G6jHOlxKc12KSSg:e:1681000441:634974688087057:100089620928913:ARZQmT7tfO0sW--3oLo\n4::aW1hZ2UvanBn:ARZkcJXFoEMa0YMMd2WQT8aVMJFaUPlSYW9xXshyh1bP-Pd6JP4t2VbrZezqGOEfC-acYkRZA5Q31FX7dEE_hQ9a-0i-b-RaueQrWO6vWk-7bQ:e:1681000441:634974688087057:100089620928913:ARYlgv7ErOQGsZYClfs"},
             "body":{"text":"Hi {{1}}! For a limited time only you can get our {{2}} for as low as {{3}}. Tap the Offer Details button for more information.",
                     "examples":{"1":"Mark","2":"Tuscan Getaway package","3":"800"}},
             "footer":"Offer valid until May 31, 2023",
             "buttons":[{"type":"PHONE_NUMBER","text":"Call","phoneNumber":"+16467043595"},
                        {"type":"URL","text":"Shop Now","url":"https://damp-sea-63235.herokuapp.com/shop?promo={{1}}","example":"summer2023"}]}
            """#),
        ImportedCase(name: "order_confirmation_document", spec: #"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"positional",
             "header":{"format":"DOCUMENT","mediaExample":"4::YXBwbGljYXRpb24vcGRm:ARZVv4zuogJMxmAdS3_6T4o_K4ll2806avA7rWpikisTzYPsXXUeKk0REjS-hIM1rYrizHD7rQXj951TKgUFblgd_BDWVROCwRkg9Vhjj-cHNQ:e:1681237341:634974688087057:100089620928913:ARa1ZDhwbLZM3EENeeg"},
             "body":{"text":"Thank you for your order, {{1}}! Your order number is {{2}}. Tap the PDF linked above to view your receipt. If you have any questions, please use the buttons below to contact support. Thanks again!",
                     "examples":{"1":"Mark","2":"860198-230332"}},
             "buttons":[{"type":"PHONE_NUMBER","text":"Call","phoneNumber":"+16467043595"},
                        {"type":"URL","text":"Contact Support","url":"https://www.examplesite.com/support"}]}
            """#),
        ImportedCase(name: "order_delivery_update", spec: #"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"positional","header":{"format":"LOCATION"},
             "body":{"text":"Good news {{1}}! Your order #{{2}} is on its way to the location above. Thank you for your order!",
                     "examples":{"1":"Mark","2":"566701"}},
             "footer":"To stop receiving delivery updates, tap the button below.",
             "buttons":[{"type":"QUICK_REPLY","text":"Stop Delivery Updates"}]}
            """#),
        ImportedCase(name: "authentication_code_copy_code_button", spec: #"""
            {"language":"en_US","category":"AUTHENTICATION","parameterFormat":"positional",
             "authentication":{"addSecurityRecommendation":true,"codeExpirationMinutes":10,"otpType":"COPY_CODE","buttonText":"Copy Code"}}
            """#),
        ImportedCase(name: "authentication_code_autofill_button", spec: #"""
            {"language":"en_US","category":"AUTHENTICATION","parameterFormat":"positional",
             "authentication":{"addSecurityRecommendation":true,"codeExpirationMinutes":10,"otpType":"ONE_TAP","buttonText":"Copy Code"}}
            """#),
        ImportedCase(name: "authentication_no_extras", spec: #"""
            {"language":"id","category":"AUTHENTICATION","parameterFormat":"positional",
             "authentication":{"addSecurityRecommendation":false,"otpType":"ZERO_TAP"}}
            """#),
        ImportedCase(name: "2023_april_promo", spec: #"""
            {"language":"en_US","category":"MARKETING","parameterFormat":"positional","header":{"format":"TEXT","text":"Fall Sale"},
             "body":{"text":"Hi {{1}}, our Fall Sale is on! Use promo code {{2}} Get an extra 25% off every order above $350!",
                     "examples":{"1":"Mark","2":"FALL25"}},
             "footer":"Not interested in any of our sales? Tap Stop Promotions",
             "buttons":[{"type":"QUICK_REPLY","text":"Stop promotions"}]}
            """#),
        ImportedCase(name: "hello_world", spec: #"""
            {"language":"en_US","category":"MARKETING","parameterFormat":"positional","header":{"format":"TEXT","text":"Hello World"},
             "body":{"text":"Welcome and congratulations!! This message demonstrates your ability to send a message notification from WhatsApp Business Platform’s Cloud API. Thank you for taking the time to test with us."},
             "footer":"WhatsApp Business API Team"}
            """#),
        ImportedCase(name: "reservation_confirmation", spec: #"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"named",
             "header":{"format":"IMAGE","mediaExample":"https://scontent.whatsapp.net/v/t61..."},
             "body":{"text":"*You're all set!*\n\nYour reservation for {{number_of_guests}} at Lucky Shrub Eatery on {{day}}, {{date}}, at {{time}}, is confirmed. See you then!",
                     "examples":{"number_of_guests":"4","day":"Saturday","date":"August 30th, 2025","time":"7:30 pm"}},
             "footer":"Lucky Shrub Eatery: The Luckiest Eatery in Town!",
             "buttons":[{"type":"URL","text":"Change reservation","url":"https://www.luckyshrubeater.com/reservations"},
                        {"type":"PHONE_NUMBER","text":"Call us","phoneNumber":"+16467043595"},
                        {"type":"QUICK_REPLY","text":"Cancel reservation"}]}
            """#),
        ImportedCase(name: "coupon_expiration_reminder_number_vars", spec: #"""
            {"language":"en","category":"MARKETING","parameterFormat":"positional",
             "header":{"format":"TEXT","text":"Act fast, {{1}}!","examples":{"1":"Pablo"}},
             "body":{"text":"Just a quick reminder—your exclusive coupon code, {{1}}, *expires in only {{2}} days!* Don’t miss out on our special deals. Use your code at checkout before it’s too late.\n\nHappy shopping! 😃",
                     "examples":{"1":"SUMMER20","2":"10"}},
             "footer":"Lucky Shrub Succulents",
             "buttons":[{"type":"URL","text":"See deals","url":"https://www.luckyshrub.com/deals"},{"type":"QUICK_REPLY","text":"Unsubscribe"}]}
            """#),
        ImportedCase(name: "everything_set", spec: #"""
            {"integration":"main","language":"pt_BR","category":"UTILITY","parameterFormat":"named",
             "header":{"format":"TEXT","text":"Pedido {{order_id}}","examples":{"order_id":"BZ-1"}},
             "body":{"text":"Olá {{first_name}}, use o código abaixo no pedido {{order_id}}.","examples":{"order_id":"BZ-1","first_name":"Ana"}},
             "buttons":[{"type":"COPY_CODE","example":"SAVE10"},{"type":"URL","text":"Loja","url":"https://shop.example/{{code}}","example":"spring"}],
             "ttlSeconds":3600,"lifecycle":{"prune":"never"}}
            """#),
    ]

    @Test(arguments: imported)
    func importedTemplatesLoadBackUnchanged(_ example: ImportedCase) throws {
        let spec = try Self.spec(example.spec)
        try Self.roundTrip(spec, name: example.name, labels: ["imported-from": "meta", "owner": "team a"])
        try Self.roundTrip(spec, name: example.name)
    }

    @Test func writesTheHouseStyle() throws {
        let spec = try Self.spec(Self.imported[2].spec)
        #expect(ResourceWriter.yaml(for: spec, name: "seasonal_promotion_text_only", labels: ["source": "meta-import"],
                                    schemaComment: "../schemas/template.schema.json") == #"""
            # yaml-language-server: $schema=../schemas/template.schema.json
            apiVersion: bizone/v1
            kind: Template
            metadata:
              name: seasonal_promotion_text_only
              labels: {source: meta-import}
            spec:
              language: en
              category: MARKETING
              parameterFormat: positional
              header:
                format: TEXT
                text: Our {{1}} is on!
                examples:
                  "1": Summer Sale
              body:
                text: >-
                  Shop now through {{1}} and use code {{2}} to get {{3}} off of all
                  merchandise.
                examples:
                  "1": the end of August
                  "2": "25OFF"
                  "3": 25%
              footer: Use the buttons below to manage your marketing subscriptions
              buttons:
                - type: QUICK_REPLY
                  text: Unsubcribe from Promos
                - type: QUICK_REPLY
                  text: Unsubscribe from All

            """#)
        let auth = try Self.spec(Self.imported[6].spec)
        #expect(ResourceWriter.yaml(for: auth, name: "authentication_code_copy_code_button", schemaComment: nil) == #"""
            apiVersion: bizone/v1
            kind: Template
            metadata:
              name: authentication_code_copy_code_button
            spec:
              language: en_US
              category: AUTHENTICATION
              authentication:
                addSecurityRecommendation: true
                codeExpirationMinutes: 10
                otpType: COPY_CODE
                buttonText: Copy Code

            """#)
    }

    @Test func namesFilesByTemplateAndLanguage() {
        #expect(ResourceWriter.fileName(name: "order_update", language: "pt_BR") == "order_update.pt_BR.yaml")
    }

    @Test func writesTheSchemaCommentAsGivenOrAsAPath() throws {
        let spec = try Self.spec(Self.imported[0].spec)
        let path = ResourceWriter.yaml(for: spec, name: "a", schemaComment: "https://bizone.example/template.schema.json")
        #expect(path.hasPrefix("# yaml-language-server: $schema=https://bizone.example/template.schema.json\napiVersion: bizone/v1\n"))
        let comment = ResourceWriter.yaml(for: spec, name: "a", schemaComment: "# yaml-language-server: $schema=x.json")
        #expect(comment.hasPrefix("# yaml-language-server: $schema=x.json\napiVersion"))
        #expect(ResourceWriter.yaml(for: spec, name: "a", schemaComment: nil).hasPrefix("apiVersion: bizone/v1\n"))
    }

    /// Leaving defaults out gives exactly what a hand-written file with everything spelled out gives.
    @Test func contentHashEqualsAHandWrittenFile() throws {
        let spec = try Self.spec(#"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"positional",
             "body":{"text":"Hi {{1}}, your order ships today.","examples":{"1":"Ana"}}}
            """#)
        let written = try #require(try Self.roundTrip(spec, name: "ships_today"))
        let handWritten = try Self.load([("ships_today.yaml", """
            apiVersion: bizone/v1
            kind: Template
            metadata:
              name: ships_today
              labels: {}
            spec:
              language: en_US
              category: UTILITY
              parameterFormat: positional
              body:
                text: "Hi {{1}}, your order ships today."
                examples: {"1": Ana}
              buttons: []
              lifecycle: {prune: allow}

            """)])
        #expect(handWritten.errors.isEmpty)
        let other = try #require(handWritten.desired?[written.id])
        #expect(other.contentHash == written.contentHash)
        #expect(other.content == written.content)

        let auth = try Self.spec(Self.imported[8].spec)
        let authWritten = try #require(try Self.roundTrip(auth, name: "login_code"))
        let authHand = try Self.load([("login_code.yaml", """
            apiVersion: bizone/v1
            kind: Template
            metadata: {name: login_code}
            spec:
              language: id
              category: AUTHENTICATION
              authentication: {addSecurityRecommendation: false, otpType: ZERO_TAP}

            """)])
        #expect(authHand.errors.isEmpty)
        #expect(authHand.desired?[authWritten.id]?.contentHash == authWritten.contentHash)
    }

    // MARK: - Tricky strings

    static let tricky: [String] = [
        "key: value", "a:b", "ends with a colon:", "# not a comment", "order #12", "a#b", "*starred*", "&anchor", "!tag", "|pipe",
        ">folded", "'single quoted'", "\"double quoted\"", "it's", "%percent", "@handle", "`tick`", "-dash", "- item", "?question",
        "? q", ",comma", "[list]", "{map}", "{single} brace", "yes", "No", "TRUE", "off", "On", "y", "null", "Null", "~", "0123",
        "1.5", "-1", "+6281234567890", ".5", ".inf", "-.inf", ".NaN", "1e3", "0x1F", "0o17", "2023-04-01", "7:30", "7:30 pm", " leading",
        "trailing ", "  both  ", "tab\there", "emoji 😃🎉👍🏽", "ünïcödé — ’quotes’ «guillemets»", "日本語のテキスト", "line one\nline two",
        "ends with a newline\n", "two\n\nnewlines at the end\n\n", "\nstarts with a newline", "  indented\nlines", "trailing space \nnext",
        "back\\slash", "nbsp\u{A0}inside", "\u{A0}leading nbsp", "crlf\r\nline", "line\u{2028}separator", "next\u{85}line", "bell\u{7}char",
        "bom\u{FEFF}inside", "=", "<<", "...", "---", "--- x", "a: b: c", "<TEMPLATE_NAME>", "50% off & free shipping!", "C:\\path",
        "https://shop.example/a?b=c&d=e#frag", "double  spaced  words and a long line that goes on well past the eighty column limit of the writer",
        "a long line with a colon: and a # hash and 'quotes' and \"double quotes\" that is folded because it is longer than eighty",
        String(repeating: "x", count: 120), "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.\n\nUt enim ad minim veniam,\n  quis nostrud exercitation\n",
    ]

    /// Placeholder names for the samples: p_aa, p_ab, ...
    static func placeholder(_ index: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return "p_\(letters[index / 26])\(letters[index % 26])"
    }

    @Test func trickySamplesAndLabelsSurviveExactly() throws {
        let names = Self.tricky.indices.map(Self.placeholder)
        let body = "Values: " + names.map { "{{\($0)}}" }.joined(separator: ", ") + ". The end."
        var examples: [String: JSONValue] = [:]
        for (name, value) in zip(names, Self.tricky) { examples[name] = .string(value) }
        let value = JSONValue.object(["language": .string("en_US"), "category": .string("UTILITY"), "parameterFormat": .string("named"),
                                      "body": .object(["text": .string(body), "examples": .object(examples)])])
        let spec = try SchemaDefaults.fill(value, schema: .object(TemplateSpec.schema)).decode(TemplateSpec.self)
        var labels: [String: String] = [:]
        for (offset, text) in Self.tricky.enumerated() { labels["k\(offset)"] = text }
        for text in ["yes", "1", "a b", "app.kubernetes.io/name", "key: x", "#", "{x}", "a,b"] { labels[text] = "value of \(text)" }
        try Self.roundTrip(spec, name: "tricky_samples", labels: labels)
    }

    @Test(arguments: tricky.filter { !$0.contains("{") && !$0.contains("}") })
    func trickyTextsSurviveExactly(_ text: String) throws {
        let spec = try Self.spec(#"{"language":"en_US","category":"MARKETING","parameterFormat":"positional"}"#)
        var withText = spec
        withText.body = try JSONValue.object(["text": .string(text), "examples": .object([:])]).decode(TemplateSpec.Body.self)
        try Self.roundTrip(withText, name: "tricky_text")
    }

    @Test(arguments: tricky.filter { !$0.contains("{") && !$0.contains("}") && $0.unicodeScalars.count <= 25 && !$0.allSatisfy(\.isWhitespace) })
    func trickyShortFieldsSurviveExactly(_ text: String) throws {
        let spec = try Self.spec(#"""
            {"language":"en_US","category":"MARKETING","parameterFormat":"positional","body":{"text":"Hello there."},
             "buttons":[{"type":"QUICK_REPLY","text":"Stop"}]}
            """#)
        var withText = spec
        withText.footer = text
        withText.buttons[0].text = text
        withText.header = try JSONValue.object(["format": .string("TEXT"), "text": .string(text)]).decode(TemplateSpec.Header.self)
        try Self.roundTrip(withText, name: "tricky_fields")
    }

    // MARK: - Scalar forms

    @Test(arguments: [
        ("plain text", "plain text"), ("Our {{1}} is on!", "Our {{1}} is on!"), ("https://a.example/x?y=1", "https://a.example/x?y=1"),
        ("yes", "\"yes\""), ("1", "\"1\""), ("{{1}} first", "\"{{1}} first\""), ("a: b", "\"a: b\""), ("a #b", "\"a #b\""),
        ("*x", "\"*x\""), ("say \"hi\"", "say \"hi\""), ("\"hi\"", "\"\\\"hi\\\"\""), ("tab\tx", "\"tab\\tx\""),
        (" x", "\" x\""), ("", "\"\""), ("bell\u{7}", "\"bell\\x07\""), ("😃 ok", "😃 ok"),
        ("0123", "\"0123\""), ("1.5", "\"1.5\""), ("1e3", "\"1e3\""), ("0x1F", "\"0x1F\""), ("2023-04-01", "\"2023-04-01\""),
        ("7:30", "\"7:30\""), ("+6281234567890", "\"+6281234567890\""), (".inf", "\".inf\""), ("25%", "25%"), ("7:30 pm", "7:30 pm"),
        ("2023_april_promo", "2023_april_promo"), ("Rp 1.299.000", "Rp 1.299.000"),
    ])
    func choosesInlineForms(_ text: String, _ expected: String) {
        #expect(YAMLScalar.form(text, indent: 4) == .inline(expected))
    }

    @Test func choosesBlockForms() {
        #expect(YAMLScalar.form("one\ntwo", indent: 4) == .block(header: "|-", lines: ["one", "two"]))
        #expect(YAMLScalar.form("one\n\ntwo\n", indent: 4) == .block(header: "|", lines: ["one", "", "two"]))
        #expect(YAMLScalar.form("one\ntwo\n\n", indent: 4) == .block(header: "|+", lines: ["one", "two", ""]))
        #expect(YAMLScalar.form(" one\ntwo", indent: 4) == .inline("\" one\\ntwo\""))
        #expect(YAMLScalar.form("one\r\ntwo", indent: 4) == .inline("\"one\\r\\ntwo\""))
        let long = "word " + String(repeating: "word ", count: 30) + "end"
        guard case .block(">-", let lines) = YAMLScalar.form(long, indent: 4) else {
            Issue.record("expected a folded block")
            return
        }
        #expect(lines.joined(separator: " ") == long)
        #expect(lines.allSatisfy { $0.count <= 76 })
    }
}

extension ResourceWriterTests {
    /// Other YAML tools (editors, yq) use YAML's own resolver: they must read every string the
    /// writer emits as a string, unchanged.
    @Test func otherYAMLReadersSeeTheSameStrings() throws {
        var labels: [String: String] = [:]
        for (offset, text) in Self.tricky.enumerated() { labels["k\(offset)"] = text }
        let names = Self.tricky.indices.map(Self.placeholder)
        var examples: [String: JSONValue] = [:]
        for (name, value) in zip(names, Self.tricky) { examples[name] = .string(value) }
        let value = JSONValue.object(["language": .string("en_US"), "category": .string("UTILITY"), "parameterFormat": .string("named"),
                                      "body": .object(["text": .string("x"), "examples": .object(examples)])])
        let spec = try SchemaDefaults.fill(value, schema: .object(TemplateSpec.schema)).decode(TemplateSpec.self)
        let text = ResourceWriter.yaml(for: spec, name: "n", labels: labels, schemaComment: nil)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let metadata = try #require(document["metadata"] as? [String: Any])
        let readLabels = try #require(metadata["labels"] as? [String: Any])
        let readExamples = try #require(((document["spec"] as? [String: Any])?["body"] as? [String: Any])?["examples"] as? [String: Any])
        for (offset, expected) in Self.tricky.enumerated() {
            let label = readLabels["k\(offset)"]
            #expect((label as? String).map { Array($0.unicodeScalars) } == Array(expected.unicodeScalars), "label \(offset): \(String(describing: label))")
            let example = readExamples[Self.placeholder(offset)]
            #expect((example as? String).map { Array($0.unicodeScalars) } == Array(expected.unicodeScalars), "example \(offset): \(String(describing: example))")
        }
    }
}
