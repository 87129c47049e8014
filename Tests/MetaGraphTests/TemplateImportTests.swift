import BizOneModel
import Foundation
import Testing
import TestSupport
@testable import MetaGraph

/// Meta's templates back into BizOne's friendly shape (`bizone import templates`): the reverse of
/// `TemplateMapping.components(for:)`, checked on Meta's documented payloads.
@Suite struct TemplateImportTests {
    // MARK: - Helpers

    /// A friendly spec from JSON with the loader's defaults filled in (independently of the import).
    static func friendly(_ json: String) throws -> TemplateSpec {
        var object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        if object["parameterFormat"] == nil { object["parameterFormat"] = "positional" }
        if object["buttons"] == nil { object["buttons"] = [Any]() }
        if object["lifecycle"] == nil { object["lifecycle"] = ["prune": "allow"] }
        if var body = object["body"] as? [String: Any], body["examples"] == nil {
            body["examples"] = [String: String]()
            object["body"] = body
        }
        return try JSONDecoder().decode(TemplateSpec.self, from: JSONSerialization.data(withJSONObject: object))
    }

    /// A creation request as the template Meta would then list.
    static func listed(_ request: CreateTemplateRequest, id: String = "1234567890", status: String = "APPROVED") -> MessageTemplate {
        MessageTemplate(id: id, name: request.name, language: request.language, status: status, category: request.category,
                        parameterFormat: request.parameterFormat, components: request.components)
    }

    static func template(_ json: String) throws -> MessageTemplate {
        try decode(MessageTemplate.self, json)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    /// The property `bizone import` relies on: the imported spec maps back to Meta's components.
    static func expectRoundTrip(_ template: MessageTemplate, _ spec: TemplateSpec,
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(TemplateMapping.normalized(TemplateMapping.components(for: spec)) == TemplateMapping.normalized(template.components ?? []),
                sourceLocation: sourceLocation)
    }

    // MARK: - Meta's creation examples

    struct CreateCase: Sendable, CustomTestStringConvertible {
        var fixture: String
        var expected: String
        var testDescription: String { fixture }
    }

    static let createExamples: [CreateCase] = [
        CreateCase(fixture: "request-create-template-named-params", expected: #"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"named",
             "body":{"text":"Thank you, {{first_name}}! Your order number is {{order_number}}.",
                     "examples":{"first_name":"Pablo","order_number":"860198-230332"}}}
            """#),
        CreateCase(fixture: "request-create-template-positional-params", expected: #"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"positional",
             "body":{"text":"Hi {{1}}! Your order number is {{2}}. Thank you.","examples":{"1":"Pablo","2":"860198-230332"}}}
            """#),
        CreateCase(fixture: "request-create-template-text-header-quick-replies", expected: #"""
            {"language":"en","category":"MARKETING",
             "header":{"format":"TEXT","text":"Our {{1}} is on!","examples":{"1":"Summer Sale"}},
             "body":{"text":"Shop now through {{1}} and use code {{2}} to get {{3}} off of all merchandise.",
                     "examples":{"1":"the end of August","2":"25OFF","3":"25%"}},
             "footer":"Use the buttons below to manage your marketing subscriptions",
             "buttons":[{"type":"QUICK_REPLY","text":"Unsubcribe from Promos"},{"type":"QUICK_REPLY","text":"Unsubscribe from All"}]}
            """#),
        CreateCase(fixture: "request-create-template-image-header-call-and-url", expected: #"""
            {"language":"en_US","category":"MARKETING",
             "header":{"format":"IMAGE","mediaExample":"4::aW1hZ2UvanBn:ARYytyb0kLp5htbBB8vWlclG5M9gMBxiEyt4FNCvrueWBOmFmRAztEuNtPGUnEC22Etc_SAAVU0YJOk3B7A-JuR1241_nq7gfITFxXKdDGnfvw:e:1681000441:634974688087057:100089620928913:ARbB4l0IPRncfMF-1sE\n4::aW1hZ2UvanBn:ARZewDmbZuoq3rGUO1WgXjJEYcI1Tt7jr_Z6o2-oD5rg4--AQarBV_S1BYEcR8INJkctK0lNJmQ5v7PsBo-vqB-N0DSTe2-G6jHOlxKc12KSSg:e:1681000441:634974688087057:100089620928913:ARZQmT7tfO0sW--3oLo\n4::aW1hZ2UvanBn:ARZkcJXFoEMa0YMMd2WQT8aVMJFaUPlSYW9xXshyh1bP-Pd6JP4t2VbrZezqGOEfC-acYkRZA5Q31FX7dEE_hQ9a-0i-b-RaueQrWO6vWk-7bQ:e:1681000441:634974688087057:100089620928913:ARYlgv7ErOQGsZYClfs"},
             "body":{"text":"Hi {{1}}! For a limited time only you can get our {{2}} for as low as {{3}}. Tap the Offer Details button for more information.",
                     "examples":{"1":"Mark","2":"Tuscan Getaway package","3":"800"}},
             "footer":"Offer valid until May 31, 2023",
             "buttons":[{"type":"PHONE_NUMBER","text":"Call","phoneNumber":"+16467043595"},
                        {"type":"URL","text":"Shop Now","url":"https://damp-sea-63235.herokuapp.com/shop?promo={{1}}","example":"summer2023"}]}
            """#),
        CreateCase(fixture: "request-create-template-document-header-call-and-url", expected: #"""
            {"language":"en_US","category":"UTILITY",
             "header":{"format":"DOCUMENT","mediaExample":"4::YXBwbGljYXRpb24vcGRm:ARZVv4zuogJMxmAdS3_6T4o_K4ll2806avA7rWpikisTzYPsXXUeKk0REjS-hIM1rYrizHD7rQXj951TKgUFblgd_BDWVROCwRkg9Vhjj-cHNQ:e:1681237341:634974688087057:100089620928913:ARa1ZDhwbLZM3EENeeg"},
             "body":{"text":"Thank you for your order, {{1}}! Your order number is {{2}}. Tap the PDF linked above to view your receipt. If you have any questions, please use the buttons below to contact support. Thanks again!",
                     "examples":{"1":"Mark","2":"860198-230332"}},
             "buttons":[{"type":"PHONE_NUMBER","text":"Call","phoneNumber":"+16467043595"},
                        {"type":"URL","text":"Contact Support","url":"https://www.examplesite.com/support"}]}
            """#),
        CreateCase(fixture: "request-create-template-location-header-quick-reply", expected: #"""
            {"language":"en_US","category":"UTILITY","header":{"format":"LOCATION"},
             "body":{"text":"Good news {{1}}! Your order #{{2}} is on its way to the location above. Thank you for your order!",
                     "examples":{"1":"Mark","2":"566701"}},
             "footer":"To stop receiving delivery updates, tap the button below.",
             "buttons":[{"type":"QUICK_REPLY","text":"Stop Delivery Updates"}]}
            """#),
        CreateCase(fixture: "request-create-template-auth-otp-copy-code", expected: #"""
            {"language":"en_US","category":"AUTHENTICATION",
             "authentication":{"addSecurityRecommendation":true,"codeExpirationMinutes":10,"otpType":"COPY_CODE","buttonText":"Copy Code"}}
            """#),
        CreateCase(fixture: "request-create-template-auth-otp-one-tap", expected: #"""
            {"language":"en_US","category":"AUTHENTICATION",
             "authentication":{"addSecurityRecommendation":true,"codeExpirationMinutes":10,"otpType":"ONE_TAP","buttonText":"Copy Code"}}
            """#),
    ]

    @Test(arguments: createExamples)
    func importsMetasCreationExamples(_ example: CreateCase) throws {
        let request = try MetaFixtures.decode(CreateTemplateRequest.self, example.fixture)
        let template = Self.listed(request)
        let spec = try TemplateImport.spec(from: template)
        Self.expectRoundTrip(template, spec)
        #expect(spec == (try Self.friendly(example.expected)))
        // Creating the imported spec again asks Meta for the same template.
        #expect(TemplateMapping.normalized(TemplateMapping.createRequest(name: request.name, spec: spec))
                == TemplateMapping.normalized(request))
    }

    /// The same examples as a listing answers them: types and formats upper-case, the parameter
    /// format upper-case, media samples as CDN URLs.
    @Test(arguments: createExamples)
    func importsMetasCreationExamplesAsListed(_ example: CreateCase) throws {
        var request = try MetaFixtures.decode(CreateTemplateRequest.self, example.fixture)
        request.category = request.category.uppercased()
        request.parameterFormat = request.parameterFormat?.uppercased()
        request.components = request.components.map { component in
            var component = component
            component.type = component.type.uppercased()
            component.format = component.format?.uppercased()
            if component.example?.headerHandle != nil { component.example?.headerHandle = ["https://scontent.whatsapp.net/v/t61.29466-34/sample.jpg"] }
            return component
        }
        let template = Self.listed(request)
        let spec = try TemplateImport.spec(from: template)
        Self.expectRoundTrip(template, spec)
        let remote = try #require(TemplateFingerprint.remote(template))
        #expect(remote.fingerprint == TemplateFingerprint.of(spec) && remote.parameterFormat == spec.parameterFormat.rawValue)
        var expected = try Self.friendly(example.expected)
        if expected.header?.mediaExample != nil { expected.header?.mediaExample = "https://scontent.whatsapp.net/v/t61.29466-34/sample.jpg" }
        #expect(spec == expected)
    }

    // MARK: - Meta's listing and get answers

    static let responseFixtures = ["response-get-template", "response-list-templates", "response-list-templates-with-next"]

    static func templates(in fixture: String) throws -> [MessageTemplate] {
        fixture.hasPrefix("response-list")
            ? try MetaFixtures.decode(TemplateListResponse.self, fixture).data
            : [try MetaFixtures.decode(MessageTemplate.self, fixture)]
    }

    @Test(arguments: responseFixtures)
    func importsEveryTemplateMetaAnswers(_ fixture: String) throws {
        let templates = try Self.templates(in: fixture)
        #expect(!templates.isEmpty)
        for template in templates {
            let spec = try TemplateImport.spec(from: template)
            Self.expectRoundTrip(template, spec)
            #expect(spec.language == template.language)
            #expect(spec.category.rawValue == template.category)
        }
    }

    @Test func importsTheListingWithNamedParametersAndAllButtonKinds() throws {
        let templates = try MetaFixtures.decode(TemplateListResponse.self, "response-list-templates-with-next").data
        let reservation = try TemplateImport.spec(from: templates[0])
        #expect(reservation == (try Self.friendly(#"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"named",
             "header":{"format":"IMAGE","mediaExample":"https://scontent.whatsapp.net/v/t61..."},
             "body":{"text":"*You're all set!*\n\nYour reservation for {{number_of_guests}} at Lucky Shrub Eatery on {{day}}, {{date}}, at {{time}}, is confirmed. See you then!",
                     "examples":{"number_of_guests":"4","day":"Saturday","date":"August 30th, 2025","time":"7:30 pm"}},
             "footer":"Lucky Shrub Eatery: The Luckiest Eatery in Town!",
             "buttons":[{"type":"URL","text":"Change reservation","url":"https://www.luckyshrubeater.com/reservations"},
                        {"type":"PHONE_NUMBER","text":"Call us","phoneNumber":"+16467043595"},
                        {"type":"QUICK_REPLY","text":"Cancel reservation"}]}
            """#)))
        let coupon = try TemplateImport.spec(from: templates[1])
        #expect(coupon.parameterFormat == .positional)
        #expect(coupon.header?.format == .text && coupon.header?.text == "Act fast, {{1}}!" && coupon.header?.mediaExample == nil)
        #expect(coupon.header?.examples == ["1": "Pablo"])
        #expect(coupon.body?.examples == ["1": "SUMMER20", "2": "10"])
        #expect(coupon.body?.text.hasSuffix("Happy shopping! 😃") == true)
    }

    @Test func importsHelloWorldWithoutExamples() throws {
        let helloWorld = try MetaFixtures.decode(TemplateListResponse.self, "response-list-templates").data[0]
        let spec = try TemplateImport.spec(from: helloWorld)
        #expect(spec == (try Self.friendly(#"""
            {"language":"en_US","category":"MARKETING","header":{"format":"TEXT","text":"Hello World"},
             "body":{"text":"Welcome and congratulations!! This message demonstrates your ability to send a message notification from WhatsApp Business Platform’s Cloud API. Thank you for taking the time to test with us."},
             "footer":"WhatsApp Business API Team"}
            """#)))
        #expect(spec.header?.examples == nil)
    }

    @Test func importsEveryImportableTemplateOfAListAndSkipsTheRest() throws {
        let listed = try Self.templates(in: "response-list-templates-with-next")
        let flow = Self.listed(try MetaFixtures.decode(CreateTemplateRequest.self, "request-create-template-flow-by-name"))
        let result = TemplateImport.specs(from: [listed[0], flow, listed[1]])
        #expect(result.imported.map(\.name) == ["reservation_confirmation", "coupon_expiration_reminder_number_vars"])
        #expect(result.imported.map(\.templateID) == ["1387372356726668", "1304694804498707"])
        #expect(result.skipped.map(\.template) == ["<TEMPLATE_NAME>@en_US"])
    }

    // MARK: - Unsupported templates

    @Test(arguments: ["request-create-template-flow-by-id", "request-create-template-flow-by-json",
                      "request-create-template-flow-by-name", "request-create-template-multi-product"])
    func refusesTemplatesBizOneCannotRepresent(_ fixture: String) throws {
        var request = try MetaFixtures.decode(CreateTemplateRequest.self, fixture)
        request.name = "offer_with_extras"
        let button = request.components.last?.buttons?.first?.type ?? ""
        let error = #expect(throws: TemplateImportError.self) { try TemplateImport.spec(from: Self.listed(request)) }
        guard case .unsupported(let template, let detail)? = error else {
            Issue.record("expected .unsupported, got \(String(describing: error))")
            return
        }
        #expect(template == "offer_with_extras@en_US")
        #expect(detail.contains("a \(button) button"))
        #expect(error?.description.contains("offer_with_extras@en_US") == true)
        #expect(error?.description.contains("cannot represent") == true)
    }

    @Test(arguments: [
        // A carousel.
        (#"{"type":"BODY","text":"See our picks."},{"type":"CAROUSEL","cards":[]}"#, "CAROUSEL"),
        // A GIF header (Marketing Messages API only).
        (#"{"type":"HEADER","format":"GIF","example":{"header_handle":["h"]}},{"type":"BODY","text":"Hello there."}"#, "GIF"),
        // A catalog button.
        (#"{"type":"BODY","text":"Browse."},{"type":"BUTTONS","buttons":[{"type":"CATALOG","text":"View catalog"}]}"#, "CATALOG"),
        // Two bodies.
        (#"{"type":"BODY","text":"One."},{"type":"BODY","text":"Two."}"#, "more than one BODY"),
        // An expiry footer on a marketing template.
        (#"{"type":"BODY","text":"Hi."},{"type":"FOOTER","code_expiration_minutes":5}"#, "code-expiry footer"),
    ])
    func refusesUnsupportedComponents(_ components: String, _ mention: String) throws {
        let template = try Self.template(#"{"id":"9","name":"extras","language":"en_US","category":"MARKETING","components":[\#(components)]}"#)
        let error = #expect(throws: TemplateImportError.self) { try TemplateImport.spec(from: template) }
        guard case .unsupported(let name, let detail)? = error else {
            Issue.record("expected .unsupported, got \(String(describing: error))")
            return
        }
        #expect(name == "extras@en_US")
        #expect(detail.contains(mention), "\(detail)")
    }

    @Test func refusesAuthenticationTemplatesOutsideMetasPreset() throws {
        let quickReply = try Self.template(#"""
            {"id":"9","name":"login","language":"en_US","category":"AUTHENTICATION","components":[
              {"type":"BODY","add_security_recommendation":true},{"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Hi"}]}]}
            """#)
        #expect(throws: TemplateImportError.unsupported(template: "login@en_US",
                                                        detail: "AUTHENTICATION buttons [QUICK_REPLY] instead of one OTP button")) {
            try TemplateImport.spec(from: quickReply)
        }
        let footerText = try Self.template(#"""
            {"id":"9","name":"login","language":"en_US","category":"AUTHENTICATION","components":[
              {"type":"BODY","add_security_recommendation":true},{"type":"FOOTER","text":"Thanks"},
              {"type":"BUTTONS","buttons":[{"type":"OTP","otp_type":"COPY_CODE"}]}]}
            """#)
        #expect(throws: TemplateImportError.self) { try TemplateImport.spec(from: footerText) }
        let category = try Self.template(#"{"id":"9","name":"x","language":"en_US","category":"ACCOUNT_UPDATE","components":[{"type":"BODY","text":"Hi."}]}"#)
        #expect(throws: TemplateImportError.unsupported(template: "x@en_US", detail: "category ACCOUNT_UPDATE")) {
            try TemplateImport.spec(from: category)
        }
    }

    @Test func refusesTemplatesThatWouldNotRoundTrip() throws {
        // Three samples for two placeholders: the third has no place in `examples`.
        let extraSample = try Self.template(#"""
            {"id":"9","name":"extra","language":"en_US","category":"UTILITY","components":[
              {"type":"BODY","text":"Hi {{1}}, order {{2}} shipped.","example":{"body_text":[["Ana","A1","surplus"]]}}]}
            """#)
        let error = #expect(throws: TemplateImportError.self) { try TemplateImport.spec(from: extraSample) }
        guard case .notRoundTrippable(let name, let detail)? = error else {
            Issue.record("expected .notRoundTrippable, got \(String(describing: error))")
            return
        }
        #expect(name == "extra@en_US")
        #expect(detail.contains("BODY") && detail.contains("example"), "\(detail)")
        // An AUTHENTICATION body with Meta's text but no security recommendation flag.
        let presetText = try Self.template(#"""
            {"id":"9","name":"login","language":"en_US","category":"AUTHENTICATION","components":[
              {"type":"BODY","text":"{{1}} is your verification code."},
              {"type":"BUTTONS","buttons":[{"type":"OTP","otp_type":"COPY_CODE","text":"Copy code"}]}]}
            """#)
        let preset = #expect(throws: TemplateImportError.self) { try TemplateImport.spec(from: presetText) }
        if case .notRoundTrippable? = preset {} else { Issue.record("expected .notRoundTrippable, got \(String(describing: preset))") }
    }

    @Test func reportsMissingFields() throws {
        let selected = try MetaFixtures.decode(TemplateListResponse.self, "response-list-templates-selected-fields").data[0]
        #expect(throws: TemplateImportError.missingField(template: "reservation_confirmation@?", field: "language")) {
            try TemplateImport.spec(from: selected)
        }
        var noComponents = selected
        noComponents.language = "en_US"
        #expect(throws: TemplateImportError.missingField(template: "reservation_confirmation@en_US", field: "components")) {
            try TemplateImport.spec(from: noComponents)
        }
        #expect(TemplateImportError.missingField(template: "a@en", field: "components").description == "template a@en: Meta's answer has no components")
    }

    // MARK: - Details

    @Test(arguments: [
        ("NAMED", TemplateSpec.ParameterFormat.named), ("named", .named), ("Named", .named),
        ("POSITIONAL", .positional), ("positional", .positional),
    ])
    func readsTheParameterFormatInEitherCase(_ raw: String, _ expected: TemplateSpec.ParameterFormat) throws {
        let body = expected == .named
            ? #"{"type":"BODY","text":"Hi {{name}}, welcome.","example":{"body_text_named_params":[{"param_name":"name","example":"Ana"}]}}"#
            : #"{"type":"BODY","text":"Hi {{1}}, welcome.","example":{"body_text":[["Ana"]]}}"#
        let template = try Self.template(#"{"id":"9","name":"welcome","language":"en_US","category":"UTILITY","parameter_format":"\#(raw)","components":[\#(body)]}"#)
        let spec = try TemplateImport.spec(from: template)
        #expect(spec.parameterFormat == expected)
        #expect(spec.body?.examples == [expected == .named ? "name" : "1": "Ana"])
        Self.expectRoundTrip(template, spec)
    }

    /// Absent means positional, as the planner reads Meta's answer; named samples then cannot be
    /// represented, and importing them as named would not match what the planner compares.
    @Test func absentParameterFormatIsPositional() throws {
        let positional = try Self.template(#"{"id":"9","name":"w","language":"en_US","category":"UTILITY","components":[{"type":"BODY","text":"Hi there."}]}"#)
        #expect(try TemplateImport.spec(from: positional).parameterFormat == .positional)
        let named = try Self.template(#"""
            {"id":"9","name":"w","language":"en_US","category":"UTILITY","components":[
              {"type":"BODY","text":"Hi {{name}}, welcome.","example":{"body_text_named_params":[{"param_name":"name","example":"Ana"}]}}]}
            """#)
        let error = #expect(throws: TemplateImportError.self) { try TemplateImport.spec(from: named) }
        if case .notRoundTrippable? = error {} else { Issue.record("expected .notRoundTrippable, got \(String(describing: error))") }
    }

    /// What the planner compares (fingerprint and parameter format) agrees for every import.
    @Test(arguments: responseFixtures)
    func thePlannerSeesNoDifference(_ fixture: String) throws {
        for template in try Self.templates(in: fixture) {
            let spec = try TemplateImport.spec(from: template)
            let remote = try #require(TemplateFingerprint.remote(template))
            #expect(remote.fingerprint == TemplateFingerprint.of(spec))
            #expect(remote.parameterFormat == spec.parameterFormat.rawValue)
            #expect(remote.category == spec.category.rawValue)
            #expect(remote.language == spec.language)
        }
    }

    @Test func readsNamedHeaderSamplesAndPositionalSamplesInPlaceholderOrder() throws {
        let named = try Self.template(#"""
            {"id":"9","name":"order","language":"en_US","category":"UTILITY","parameter_format":"NAMED","components":[
              {"type":"HEADER","format":"TEXT","text":"Order {{order_id}}","example":{"header_text_named_params":[{"param_name":"order_id","example":"BZ-1"}]}},
              {"type":"BODY","text":"Hi {{first_name}}, order {{order_id}} shipped.","example":{"body_text_named_params":[
                {"param_name":"order_id","example":"BZ-1"},{"param_name":"first_name","example":"Ana"}]}}]}
            """#)
        let spec = try TemplateImport.spec(from: named)
        #expect(spec.header?.examples == ["order_id": "BZ-1"])
        #expect(spec.body?.examples == ["first_name": "Ana", "order_id": "BZ-1"])
        Self.expectRoundTrip(named, spec)

        // A repeated placeholder takes one sample; samples follow first appearance.
        let repeated = try Self.template(#"""
            {"id":"9","name":"r","language":"en_US","category":"UTILITY","components":[
              {"type":"BODY","text":"Hi {{1}}, {{2}} is ready, {{1}}.","example":{"body_text":[["Ana","your order"]]}}]}
            """#)
        let spec2 = try TemplateImport.spec(from: repeated)
        #expect(spec2.body?.examples == ["1": "Ana", "2": "your order"])
        Self.expectRoundTrip(repeated, spec2)
    }

    @Test(arguments: [("16467043595", "+16467043595"), ("+16467043595", "+16467043595"),
                      ("+1 (646) 704-3595", "+16467043595"), ("6281234567890", "+6281234567890")])
    func writesPhoneNumbersInE164(_ meta: String, _ expected: String) throws {
        let template = try Self.template(#"""
            {"id":"9","name":"call","language":"en_US","category":"UTILITY","components":[
              {"type":"BODY","text":"Call us."},{"type":"BUTTONS","buttons":[{"type":"PHONE_NUMBER","text":"Call","phone_number":"\#(meta)"}]}]}
            """#)
        let spec = try TemplateImport.spec(from: template)
        #expect(spec.buttons.first?.phoneNumber == expected)
        Self.expectRoundTrip(template, spec)
    }

    @Test func readsCopyCodeAndURLSamplesInEitherShape() throws {
        let template = try Self.template(#"""
            {"id":"9","name":"offer","language":"pt-BR","category":"marketing","components":[
              {"type":"body","text":"Use the code below, {{1}}.","example":{"body_text":[["Ana"]]}},
              {"type":"buttons","buttons":[{"type":"copy_code","example":["SAVE10"]},
                {"type":"url","text":"Shop","url":"https://shop.example/{{1}}","example":"spring"},
                {"type":"url","text":"Help","url":"https://shop.example/help"}]}]}
            """#)
        let spec = try TemplateImport.spec(from: template)
        #expect(spec.language == "pt_BR")
        #expect(spec.category == .marketing)
        #expect(spec.buttons == (try Self.decode([TemplateSpec.Button].self, #"""
            [{"type":"COPY_CODE","example":"SAVE10"},{"type":"URL","text":"Shop","url":"https://shop.example/{{1}}","example":"spring"},
             {"type":"URL","text":"Help","url":"https://shop.example/help"}]
            """#)))
        Self.expectRoundTrip(template, spec)
    }

    @Test func readsAuthenticationVariants() throws {
        // No expiry footer, no security recommendation, zero-tap, Meta's preset text echoed with the flag.
        let template = try Self.template(#"""
            {"id":"9","name":"login","language":"id","category":"AUTHENTICATION","parameter_format":"POSITIONAL","components":[
              {"type":"BODY"},
              {"type":"BUTTONS","buttons":[{"type":"OTP","otp_type":"zero_tap","text":"Salin kode"}]}]}
            """#)
        let spec = try TemplateImport.spec(from: template)
        #expect(spec.authentication == (try Self.decode(TemplateSpec.Authentication.self,
                                                        #"{"addSecurityRecommendation":false,"otpType":"ZERO_TAP","buttonText":"Salin kode"}"#)))
        #expect(spec.body == nil && spec.header == nil && spec.footer == nil && spec.buttons.isEmpty)
        Self.expectRoundTrip(template, spec)

        let echoed = try Self.template(#"""
            {"id":"9","name":"login","language":"en_US","category":"AUTHENTICATION","components":[
              {"type":"BODY","text":"*{{1}}* is your verification code. For your security, do not share this code.",
               "add_security_recommendation":true,"example":{"body_text":[["123456"]]}},
              {"type":"FOOTER","text":"This code expires in 5 minutes.","code_expiration_minutes":5},
              {"type":"BUTTONS","buttons":[{"type":"OTP","otp_type":"COPY_CODE","text":"Copy code"}]}]}
            """#)
        let spec2 = try TemplateImport.spec(from: echoed)
        #expect(spec2.authentication == (try Self.decode(TemplateSpec.Authentication.self,
            #"{"addSecurityRecommendation":true,"codeExpirationMinutes":5,"otpType":"COPY_CODE","buttonText":"Copy code"}"#)))
        Self.expectRoundTrip(echoed, spec2)
    }

    @Test func fillsTheLoadersDefaults() throws {
        let template = try Self.template(#"{"id":"9","name":"w","language":"en_US","category":"UTILITY","components":[{"type":"BODY","text":"Hi there."}]}"#)
        let spec = try TemplateImport.spec(from: template)
        #expect(spec.lifecycle == Lifecycle(prune: .allow))
        #expect(spec.buttons.isEmpty)
        #expect(spec.body?.examples == [:])
        #expect(spec.integration == nil && spec.ttlSeconds == nil)
    }
}
