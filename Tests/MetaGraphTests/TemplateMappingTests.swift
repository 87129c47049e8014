import BizOneModel
import Foundation
import Testing
import TestSupport
@testable import MetaGraph

/// A TemplateSpec from JSON in the friendly shape, with the loader's defaults filled in.
func templateSpec(_ json: String) throws -> TemplateSpec {
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

func decodeJSON<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(json.utf8))
}

/// Friendly templates onto Meta's components (reference §3, §6) and send-time components (§9.2).
@Suite struct TemplateMappingTests {
    // MARK: - Meta's creation examples

    struct FixtureCase: Sendable, CustomTestStringConvertible {
        var fixture: String
        var spec: String
        /// The fixture writes types upper-case and without parameter_format, so the components
        /// must match exactly, not only after normalisation.
        var exactComponents: Bool
        var testDescription: String { fixture }
    }

    static let creationExamples: [FixtureCase] = [
        FixtureCase(fixture: "request-create-template-named-params", spec: #"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"named",
             "body":{"text":"Thank you, {{first_name}}! Your order number is {{order_number}}.",
                     "examples":{"order_number":"860198-230332","first_name":"Pablo"}}}
            """#, exactComponents: false),
        FixtureCase(fixture: "request-create-template-positional-params", spec: #"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"positional",
             "body":{"text":"Hi {{1}}! Your order number is {{2}}. Thank you.","examples":{"2":"860198-230332","1":"Pablo"}}}
            """#, exactComponents: false),
        FixtureCase(fixture: "request-create-template-text-header-quick-replies", spec: #"""
            {"language":"en","category":"MARKETING",
             "header":{"format":"TEXT","text":"Our {{1}} is on!","examples":{"1":"Summer Sale"}},
             "body":{"text":"Shop now through {{1}} and use code {{2}} to get {{3}} off of all merchandise.",
                     "examples":{"1":"the end of August","2":"25OFF","3":"25%"}},
             "footer":"Use the buttons below to manage your marketing subscriptions",
             "buttons":[{"type":"QUICK_REPLY","text":"Unsubcribe from Promos"},{"type":"QUICK_REPLY","text":"Unsubscribe from All"}]}
            """#, exactComponents: true),
        FixtureCase(fixture: "request-create-template-image-header-call-and-url", spec: #"""
            {"language":"en_US","category":"MARKETING",
             "header":{"format":"IMAGE","mediaExample":"4::aW1hZ2UvanBn:ARYytyb0kLp5htbBB8vWlclG5M9gMBxiEyt4FNCvrueWBOmFmRAztEuNtPGUnEC22Etc_SAAVU0YJOk3B7A-JuR1241_nq7gfITFxXKdDGnfvw:e:1681000441:634974688087057:100089620928913:ARbB4l0IPRncfMF-1sE\n4::aW1hZ2UvanBn:ARZewDmbZuoq3rGUO1WgXjJEYcI1Tt7jr_Z6o2-oD5rg4--AQarBV_S1BYEcR8INJkctK0lNJmQ5v7PsBo-vqB-N0DSTe2-G6jHOlxKc12KSSg:e:1681000441:634974688087057:100089620928913:ARZQmT7tfO0sW--3oLo\n4::aW1hZ2UvanBn:ARZkcJXFoEMa0YMMd2WQT8aVMJFaUPlSYW9xXshyh1bP-Pd6JP4t2VbrZezqGOEfC-acYkRZA5Q31FX7dEE_hQ9a-0i-b-RaueQrWO6vWk-7bQ:e:1681000441:634974688087057:100089620928913:ARYlgv7ErOQGsZYClfs"},
             "body":{"text":"Hi {{1}}! For a limited time only you can get our {{2}} for as low as {{3}}. Tap the Offer Details button for more information.",
                     "examples":{"1":"Mark","2":"Tuscan Getaway package","3":"800"}},
             "footer":"Offer valid until May 31, 2023",
             "buttons":[{"type":"PHONE_NUMBER","text":"Call","phoneNumber":"16467043595"},
                        {"type":"URL","text":"Shop Now","url":"https://damp-sea-63235.herokuapp.com/shop?promo={{1}}","example":"summer2023"}]}
            """#, exactComponents: true),
        FixtureCase(fixture: "request-create-template-document-header-call-and-url", spec: #"""
            {"language":"en_US","category":"UTILITY",
             "header":{"format":"DOCUMENT","mediaExample":"4::YXBwbGljYXRpb24vcGRm:ARZVv4zuogJMxmAdS3_6T4o_K4ll2806avA7rWpikisTzYPsXXUeKk0REjS-hIM1rYrizHD7rQXj951TKgUFblgd_BDWVROCwRkg9Vhjj-cHNQ:e:1681237341:634974688087057:100089620928913:ARa1ZDhwbLZM3EENeeg"},
             "body":{"text":"Thank you for your order, {{1}}! Your order number is {{2}}. Tap the PDF linked above to view your receipt. If you have any questions, please use the buttons below to contact support. Thanks again!",
                     "examples":{"1":"Mark","2":"860198-230332"}},
             "buttons":[{"type":"PHONE_NUMBER","text":"Call","phoneNumber":"16467043595"},
                        {"type":"URL","text":"Contact Support","url":"https://www.examplesite.com/support"}]}
            """#, exactComponents: true),
        FixtureCase(fixture: "request-create-template-location-header-quick-reply", spec: #"""
            {"language":"en_US","category":"UTILITY","header":{"format":"LOCATION"},
             "body":{"text":"Good news {{1}}! Your order #{{2}} is on its way to the location above. Thank you for your order!",
                     "examples":{"1":"Mark","2":"566701"}},
             "footer":"To stop receiving delivery updates, tap the button below.",
             "buttons":[{"type":"QUICK_REPLY","text":"Stop Delivery Updates"}]}
            """#, exactComponents: true),
        FixtureCase(fixture: "request-create-template-auth-otp-copy-code", spec: #"""
            {"language":"en_US","category":"AUTHENTICATION",
             "authentication":{"addSecurityRecommendation":true,"codeExpirationMinutes":10,"otpType":"COPY_CODE","buttonText":"Copy Code"}}
            """#, exactComponents: true),
    ]

    @Test(arguments: creationExamples)
    func mapsMetasCreationExamples(_ example: FixtureCase) throws {
        let fixture = try MetaFixtures.decode(CreateTemplateRequest.self, example.fixture)
        let spec = try templateSpec(example.spec)
        let request = TemplateMapping.createRequest(name: fixture.name, spec: spec)
        #expect(TemplateMapping.normalized(request) == TemplateMapping.normalized(fixture))
        if example.exactComponents {
            #expect(request.components == fixture.components)
            #expect(request.category == fixture.category)
        }
        // The wire form is what Meta would read back as the same request.
        let reread = try JSONDecoder().decode(CreateTemplateRequest.self, from: try MetaJSON.encode(request))
        #expect(reread == request)
    }

    @Test(arguments: [
        ("request-edit-template-components", #"""
            {"language":"en_US","category":"MARKETING",
             "header":{"format":"TEXT","text":"Our {{1}} is on!","examples":{"1":"Spring Sale"}},
             "body":{"text":"Shop now through {{1}} and use code {{2}} to get {{3}} off of all merchandise.",
                     "examples":{"1":"the end of April","2":"25OFF","3":"25%"}},
             "footer":"Use the buttons below to manage your marketing subscriptions",
             "buttons":[{"type":"QUICK_REPLY","text":"Unsubscribe from Promos"},{"type":"QUICK_REPLY","text":"Unsubscribe from All"}]}
            """#),
        ("request-edit-template-with-name-language", Self.fallSale),
    ])
    func mapsMetasEditExamples(_ fixture: String, _ json: String) throws {
        let edit = try MetaFixtures.decode(EditTemplateRequest.self, fixture)
        let spec = try templateSpec(json)
        #expect(TemplateMapping.components(for: spec) == edit.components)
        let request = TemplateMapping.editRequest(spec: spec)
        #expect(request.components == edit.components)
        #expect(request.category == nil)
        #expect(TemplateMapping.editRequest(spec: spec, includeCategory: true).category == "MARKETING")
    }

    static let fallSale = #"""
        {"language":"en_US","category":"MARKETING","header":{"format":"TEXT","text":"Fall Sale"},
         "body":{"text":"Hi {{1}}, our Fall Sale is on! Use promo code {{2}} Get an extra 25% off every order above $350!",
                 "examples":{"1":"Mark","2":"FALL25"}},
         "footer":"Not interested in any of our sales? Tap Stop Promotions",
         "buttons":[{"type":"QUICK_REPLY","text":"Stop promotions"}]}
        """#

    // MARK: - BizOne's pipeline templates (pipelines/templates/*.yaml), exact wire shapes

    struct PipelineCase: Sendable, CustomTestStringConvertible {
        var name: String
        var spec: String
        var expected: String
        var testDescription: String { name }
    }

    static let pipelineTemplates: [PipelineCase] = [
        PipelineCase(name: "order_confirmation", spec: #"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"named",
             "header":{"format":"TEXT","text":"Order {{order_id}} confirmed","examples":{"order_id":"BZ-20471"}},
             "body":{"text":"Hi {{customer_name}}, thank you for your order {{order_id}}. We have received your payment of {{total_amount}} and will ship your items by {{ship_date}}.",
                     "examples":{"customer_name":"Siti","order_id":"BZ-20471","total_amount":"Rp 459.000","ship_date":"March 12, 2027"}},
             "footer":"BizOne Shop - reply to this message for help",
             "buttons":[{"type":"URL","text":"View order","url":"https://shop.bizone.example/account/orders"}]}
            """#, expected: #"""
            {"name":"order_confirmation","language":"en_US","category":"UTILITY","parameter_format":"named","components":[
              {"type":"HEADER","format":"TEXT","text":"Order {{order_id}} confirmed",
               "example":{"header_text_named_params":[{"param_name":"order_id","example":"BZ-20471"}]}},
              {"type":"BODY","text":"Hi {{customer_name}}, thank you for your order {{order_id}}. We have received your payment of {{total_amount}} and will ship your items by {{ship_date}}.",
               "example":{"body_text_named_params":[{"param_name":"customer_name","example":"Siti"},{"param_name":"order_id","example":"BZ-20471"},
                                                    {"param_name":"total_amount","example":"Rp 459.000"},{"param_name":"ship_date","example":"March 12, 2027"}]}},
              {"type":"FOOTER","text":"BizOne Shop - reply to this message for help"},
              {"type":"BUTTONS","buttons":[{"type":"URL","text":"View order","url":"https://shop.bizone.example/account/orders"}]}]}
            """#),
        PipelineCase(name: "seasonal_promo", spec: #"""
            {"language":"id","category":"MARKETING","parameterFormat":"named",
             "header":{"format":"TEXT","text":"Promo Akhir Tahun sudah tiba"},
             "body":{"text":"Halo {{first_name}}, Promo Akhir Tahun sudah hadir di {{city}}! Potongan {{discount}} dengan kode {{promo_code}} sebelum {{end_date}}. Sampai jumpa!",
                     "examples":{"first_name":"Siti","city":"Bandung","discount":"30%","promo_code":"HEMAT30","end_date":"31 Januari 2027"}},
             "footer":"Ketuk Berhenti promo untuk berhenti berlangganan",
             "buttons":[{"type":"QUICK_REPLY","text":"Saya tertarik"},{"type":"QUICK_REPLY","text":"Berhenti promo"},
                        {"type":"URL","text":"Belanja sekarang","url":"https://shop.bizone.example/sale?code={{promo_code}}","example":"HEMAT30"}],
             "lifecycle":{"prune":"confirm"}}
            """#, expected: #"""
            {"name":"seasonal_promo","language":"id","category":"MARKETING","parameter_format":"named","components":[
              {"type":"HEADER","format":"TEXT","text":"Promo Akhir Tahun sudah tiba"},
              {"type":"BODY","text":"Halo {{first_name}}, Promo Akhir Tahun sudah hadir di {{city}}! Potongan {{discount}} dengan kode {{promo_code}} sebelum {{end_date}}. Sampai jumpa!",
               "example":{"body_text_named_params":[{"param_name":"first_name","example":"Siti"},{"param_name":"city","example":"Bandung"},
                 {"param_name":"discount","example":"30%"},{"param_name":"promo_code","example":"HEMAT30"},{"param_name":"end_date","example":"31 Januari 2027"}]}},
              {"type":"FOOTER","text":"Ketuk Berhenti promo untuk berhenti berlangganan"},
              {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Saya tertarik"},{"type":"QUICK_REPLY","text":"Berhenti promo"},
                {"type":"URL","text":"Belanja sekarang","url":"https://shop.bizone.example/sale?code={{promo_code}}","example":["HEMAT30"]}]}]}
            """#),
        PipelineCase(name: "delivery_update", spec: #"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"positional",
             "header":{"format":"TEXT","text":"Your order is on its way"},
             "body":{"text":"Hi {{1}}, your order {{2}} has been handed to {{3}} and is expected to arrive on {{4}}. Track your parcel below.",
                     "examples":{"4":"March 14, 2027","3":"JNE Express","2":"BZ-20471","1":"Siti"}},
             "footer":"BizOne Shop delivery updates",
             "buttons":[{"type":"URL","text":"Track parcel","url":"https://shop.bizone.example/track"},
                        {"type":"PHONE_NUMBER","text":"Call customer service","phoneNumber":"+622150888000"}]}
            """#, expected: #"""
            {"name":"delivery_update","language":"en_US","category":"UTILITY","parameter_format":"positional","components":[
              {"type":"HEADER","format":"TEXT","text":"Your order is on its way"},
              {"type":"BODY","text":"Hi {{1}}, your order {{2}} has been handed to {{3}} and is expected to arrive on {{4}}. Track your parcel below.",
               "example":{"body_text":[["Siti","BZ-20471","JNE Express","March 14, 2027"]]}},
              {"type":"FOOTER","text":"BizOne Shop delivery updates"},
              {"type":"BUTTONS","buttons":[{"type":"URL","text":"Track parcel","url":"https://shop.bizone.example/track"},
                {"type":"PHONE_NUMBER","text":"Call customer service","phone_number":"+622150888000"}]}]}
            """#),
        PipelineCase(name: "back_in_stock", spec: #"""
            {"language":"en_US","category":"MARKETING","parameterFormat":"positional",
             "body":{"text":"Good news, {{1}}! The {{2}} you asked about is back in stock for {{3}}. Order soon.",
                     "examples":{"1":"Siti","2":"Aero 2 running shoes","3":"Rp 1.299.000"}},
             "footer":"Reply STOP to opt out of promotions",
             "buttons":[{"type":"URL","text":"Shop now","url":"https://shop.bizone.example/new-arrivals"},
                        {"type":"QUICK_REPLY","text":"Stop promotions"}]}
            """#, expected: #"""
            {"name":"back_in_stock","language":"en_US","category":"MARKETING","parameter_format":"positional","components":[
              {"type":"BODY","text":"Good news, {{1}}! The {{2}} you asked about is back in stock for {{3}}. Order soon.",
               "example":{"body_text":[["Siti","Aero 2 running shoes","Rp 1.299.000"]]}},
              {"type":"FOOTER","text":"Reply STOP to opt out of promotions"},
              {"type":"BUTTONS","buttons":[{"type":"URL","text":"Shop now","url":"https://shop.bizone.example/new-arrivals"},
                {"type":"QUICK_REPLY","text":"Stop promotions"}]}]}
            """#),
        PipelineCase(name: "login_code", spec: #"""
            {"language":"id","category":"AUTHENTICATION",
             "authentication":{"addSecurityRecommendation":true,"codeExpirationMinutes":10,"otpType":"COPY_CODE","buttonText":"Salin kode"},
             "ttlSeconds":600,"lifecycle":{"prune":"never"}}
            """#, expected: #"""
            {"name":"login_code","language":"id","category":"AUTHENTICATION","message_send_ttl_seconds":600,"components":[
              {"type":"BODY","add_security_recommendation":true},
              {"type":"FOOTER","code_expiration_minutes":10},
              {"type":"BUTTONS","buttons":[{"type":"OTP","otp_type":"COPY_CODE","text":"Salin kode"}]}]}
            """#),
        PipelineCase(name: "coupon", spec: #"""
            {"language":"en_US","category":"MARKETING","header":{"format":"VIDEO","mediaExample":"4::dmlkZW8="},
             "body":{"text":"Your code is below, {{1}}. Enjoy!","examples":{"1":"Maria"}},
             "buttons":[{"type":"COPY_CODE","example":"250FF"}],"ttlSeconds":43200}
            """#, expected: #"""
            {"name":"coupon","language":"en_US","category":"MARKETING","parameter_format":"positional","message_send_ttl_seconds":43200,
             "components":[
              {"type":"HEADER","format":"VIDEO","example":{"header_handle":["4::dmlkZW8="]}},
              {"type":"BODY","text":"Your code is below, {{1}}. Enjoy!","example":{"body_text":[["Maria"]]}},
              {"type":"BUTTONS","buttons":[{"type":"COPY_CODE","example":"250FF"}]}]}
            """#),
    ]

    @Test(arguments: pipelineTemplates)
    func mapsPipelineTemplateShapes(_ example: PipelineCase) throws {
        let request = TemplateMapping.createRequest(name: example.name, spec: try templateSpec(example.spec))
        let expected = try decodeJSON(CreateTemplateRequest.self, example.expected)
        #expect(request == expected)
        // Compared as JSON too, so absent fields stay absent on the wire.
        let wire = try JSONSerialization.jsonObject(with: MetaJSON.encode(request)) as? NSDictionary
        let wanted = try JSONSerialization.jsonObject(with: Data(example.expected.utf8)) as? NSDictionary
        #expect(wire == wanted)
    }

    // MARK: - Normalisation (drift)

    @Test func listedTemplateEqualsItsDesiredSpecAfterNormalisation() throws {
        let list = try MetaFixtures.decode(TemplateListResponse.self, "response-list-templates-with-next")
        let actual = try #require(list.data.first { $0.name == "reservation_confirmation" })
        let spec = try templateSpec(#"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"named",
             "header":{"format":"IMAGE","mediaExample":"4::aW1hZ2UvanBn:handle"},
             "body":{"text":"*You're all set!*\n\nYour reservation for {{number_of_guests}} at Lucky Shrub Eatery on {{day}}, {{date}}, at {{time}}, is confirmed. See you then!",
                     "examples":{"number_of_guests":"4","day":"Saturday","date":"August 30th, 2025","time":"7:30 pm"}},
             "footer":"Lucky Shrub Eatery: The Luckiest Eatery in Town!",
             "buttons":[{"type":"URL","text":"Change reservation","url":"https://www.luckyshrubeater.com/reservations"},
                        {"type":"PHONE_NUMBER","text":"Call us","phoneNumber":"+16467043595"},
                        {"type":"QUICK_REPLY","text":"Cancel reservation"}]}
            """#)
        let desired = TemplateMapping.components(for: spec)
        #expect(desired != actual.components) // the media handle differs on the wire...
        #expect(TemplateMapping.normalized(desired) == TemplateMapping.normalized(actual.components ?? [])) // ...not in meaning
    }

    @Test func fetchedTemplateEqualsItsDesiredSpec() throws {
        let actual = try MetaFixtures.decode(MessageTemplate.self, "response-get-template")
        let desired = TemplateMapping.components(for: try templateSpec(Self.fallSale))
        #expect(TemplateMapping.normalized(desired) == TemplateMapping.normalized(actual.components ?? []))
    }

    @Test func normalisationUpperCasesAndSorts() {
        let lower = [
            TemplateComponent(type: "buttons", buttons: [TemplateButton(type: "url", text: "Go", url: "https://x/{{1}}", example: .one("a")),
                                                         TemplateButton(type: "phone_number", text: "Call", phoneNumber: "+1 (646) 704-3595")]),
            TemplateComponent(type: "body", text: "Hi {{b}} and {{a}}.", example: ComponentExample(bodyTextNamedParams: [
                NamedParameterExample(paramName: "b", example: "2"), NamedParameterExample(paramName: "a", example: "1")])),
            TemplateComponent(type: "header", format: "text", text: "Hello"),
        ]
        let upper = [
            TemplateComponent(type: "HEADER", format: "TEXT", text: "Hello"),
            TemplateComponent(type: "BODY", text: "Hi {{b}} and {{a}}.", example: ComponentExample(bodyTextNamedParams: [
                NamedParameterExample(paramName: "a", example: "1"), NamedParameterExample(paramName: "b", example: "2")])),
            TemplateComponent(type: "BUTTONS", buttons: [TemplateButton(type: "URL", text: "Go", url: "https://x/{{1}}", example: .many(["a"])),
                                                         TemplateButton(type: "PHONE_NUMBER", text: "Call", phoneNumber: "16467043595")]),
        ]
        #expect(TemplateMapping.normalized(lower) == TemplateMapping.normalized(upper))
        #expect(TemplateMapping.normalized(upper).map(\.type) == ["HEADER", "BODY", "BUTTONS"])
    }

    @Test func authenticationPresetsAreIgnored() {
        let desired = [TemplateComponent(type: "BODY", addSecurityRecommendation: true),
                       TemplateComponent(type: "FOOTER", codeExpirationMinutes: 10),
                       TemplateComponent(type: "BUTTONS", buttons: [TemplateButton(type: "OTP", text: "Copy code", otpType: "COPY_CODE")])]
        let actual = [TemplateComponent(type: "BODY", text: "*{{1}}* is your verification code. For your security, do not share this code.",
                                        example: ComponentExample(bodyText: [["123456"]]), addSecurityRecommendation: true),
                      TemplateComponent(type: "FOOTER", text: "This code expires in 10 minutes.", codeExpirationMinutes: 10),
                      TemplateComponent(type: "BUTTONS", buttons: [TemplateButton(type: "otp", text: "Copy code", otpType: "copy_code")])]
        #expect(TemplateMapping.normalized(desired) == TemplateMapping.normalized(actual))
        var longer = actual
        longer[1].codeExpirationMinutes = 15
        #expect(TemplateMapping.normalized(desired) != TemplateMapping.normalized(longer))
    }

    struct DriftCase: Sendable, CustomTestStringConvertible {
        var what: String
        var change: @Sendable (inout [TemplateComponent]) -> Void
        var testDescription: String { what }
    }

    @Test(arguments: [
        DriftCase(what: "body text") { $0[1].text = "Hi {{1}}, changed {{2}} text." },
        DriftCase(what: "body example") { $0[1].example = ComponentExample(bodyText: [["Mark", "WINTER"]]) },
        DriftCase(what: "footer removed") { $0.remove(at: 2) },
        DriftCase(what: "button label") { $0[3].buttons?[0].text = "Stop" },
        DriftCase(what: "button added") { $0[3].buttons?.append(TemplateButton(type: "QUICK_REPLY", text: "More")) },
        DriftCase(what: "header format") { $0[0].format = "IMAGE" },
    ])
    func realChangesRemainVisible(_ drift: DriftCase) throws {
        let desired = TemplateMapping.components(for: try templateSpec(Self.fallSale))
        var actual = desired
        drift.change(&actual)
        #expect(TemplateMapping.normalized(desired) != TemplateMapping.normalized(actual))
    }

    @Test func normalisedRequests() throws {
        let fixture = try MetaFixtures.decode(CreateTemplateRequest.self, "request-create-template-named-params")
        let normalised = TemplateMapping.normalized(fixture)
        #expect(normalised.category == "UTILITY")
        #expect(normalised.parameterFormat == "named")
        #expect(normalised.components.map(\.type) == ["BODY"])
        var hyphen = fixture
        hyphen.language = "en-US"
        hyphen.parameterFormat = "NAMED"
        #expect(TemplateMapping.normalized(hyphen) == normalised)
        #expect(TemplateMapping.normalized(TemplateMapping.normalized(fixture)) == normalised)
    }

    // MARK: - Send-time components

    @Test func namedSendMatchesMetasExample() throws {
        let spec = try templateSpec(#"""
            {"language":"en_US","category":"UTILITY","parameterFormat":"named",
             "body":{"text":"Thank you, {{first_name}}! Your order number is {{order_number}}.",
                     "examples":{"first_name":"Pablo","order_number":"860198-230332"}}}
            """#)
        let fixture = try MetaFixtures.decode(SendMessageRequest.self, "request-send-template-named-params")
        let request = TemplateMapping.sendRequest(to: "+16505551234", name: "order_confirmation", spec: spec,
                                                  values: ["order_number": "SKBUP2-4CPIG9", "first_name": "Jessica"])
        #expect(request == fixture)
    }

    @Test func positionalSendMatchesMetasExample() throws {
        let spec = try templateSpec(#"""
            {"language":"en_US","category":"UTILITY",
             "body":{"text":"Hi {{1}}! Your order number is {{2}}. Thank you.","examples":{"1":"Pablo","2":"860198-230332"}}}
            """#)
        let fixture = try MetaFixtures.decode(SendMessageRequest.self, "request-send-template-positional-params")
        let components = TemplateMapping.sendComponents(for: spec, values: ["2": "SKBUP2-4CPIG9", "1": "Jessica"])
        #expect(components == fixture.template?.components)
    }

    @Test func namedSendWithHeaderAndURLButton() throws {
        let spec = try templateSpec(#"""
            {"language":"id","category":"MARKETING","parameterFormat":"named",
             "header":{"format":"TEXT","text":"Promo di {{city}}!","examples":{"city":"Bandung"}},
             "body":{"text":"Halo {{first_name}}, kode {{promo_code}} berlaku.","examples":{"first_name":"Siti","promo_code":"HEMAT30"}},
             "buttons":[{"type":"QUICK_REPLY","text":"Saya tertarik"},{"type":"QUICK_REPLY","text":"Berhenti promo"},
                        {"type":"URL","text":"Belanja","url":"https://shop.bizone.example/sale?code={{promo_code}}","example":"HEMAT30"}]}
            """#)
        let values = ["first_name": "Dewi", "promo_code": "HEMAT30", "header.city": "Surabaya", "button.2": "HEMAT30"]
        let expected = try decodeJSON([SendComponent].self, #"""
            [{"type":"header","parameters":[{"type":"text","parameter_name":"city","text":"Surabaya"}]},
             {"type":"body","parameters":[{"type":"text","parameter_name":"first_name","text":"Dewi"},
                                          {"type":"text","parameter_name":"promo_code","text":"HEMAT30"}]},
             {"type":"button","sub_type":"url","index":"2","parameters":[{"type":"text","text":"HEMAT30"}]}]
            """#)
        #expect(TemplateMapping.sendComponents(for: spec, values: values) == expected)
        #expect(TemplateMapping.sendParameterKeys(for: spec) == ["header.city", "first_name", "promo_code", "button.2"])
    }

    @Test func positionalValuesGoInPlaceholderOrder() throws {
        let spec = try templateSpec(#"""
            {"language":"en_US","category":"UTILITY","header":{"format":"TEXT","text":"Order {{1}}","examples":{"1":"BZ-1"}},
             "body":{"text":"Hi {{1}}, order {{2}} ships with {{3}} on {{4}}. Thanks {{1}}!","examples":{}},
             "buttons":[{"type":"URL","text":"Track","url":"https://x.example/t/{{1}}","example":"BZ-1"}]}
            """#)
        let values = ["4": "Friday", "2": "BZ-9", "1": "Siti", "3": "JNE", "header.1": "BZ-9", "button.0": "BZ-9"]
        let components = TemplateMapping.sendComponents(for: spec, values: values)
        #expect(components.map(\.type) == ["header", "body", "button"])
        #expect(components[0].parameters == [.text("BZ-9")])
        #expect(components[1].parameters.map(\.text) == ["Siti", "BZ-9", "JNE", "Friday"])
        #expect(components[1].parameters.allSatisfy { $0.parameterName == nil })
        #expect(components[2].index == .string("0"))
        #expect(TemplateMapping.sendParameterKeys(for: spec) == ["header.1", "1", "2", "3", "4", "button.0"])
    }

    @Test func templatesWithoutParametersSendNoComponents() throws {
        let spec = try templateSpec(#"{"language":"en_US","category":"UTILITY","body":{"text":"Hello there."},"buttons":[{"type":"URL","text":"Open","url":"https://x.example"}]}"#)
        #expect(TemplateMapping.sendComponents(for: spec, values: ["unused": "x", "button.0": "ignored"]).isEmpty)
        #expect(TemplateMapping.sendParameterKeys(for: spec).isEmpty)
        let request = TemplateMapping.sendRequest(to: "+16505551234", name: "hello", spec: spec, values: [:], callbackData: "run-7")
        let json = String(decoding: try MetaJSON.encode(request), as: UTF8.self)
        #expect(!json.contains("components"))
        #expect(json.contains(#""biz_opaque_callback_data":"run-7""#))
        #expect(request.template?.language.code == "en_US")
    }

    @Test func missingValuesAreLeftOut() throws {
        let spec = try templateSpec(#"{"language":"en_US","category":"UTILITY","body":{"text":"Hi {{1}}, order {{2}} is ready.","examples":{}}}"#)
        let components = TemplateMapping.sendComponents(for: spec, values: ["1": "Siti"])
        #expect(components.first?.parameters == [.text("Siti")])
    }

    @Test(arguments: [
        ("IMAGE", "https://cdn.example/a.jpg", #"{"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example/a.jpg"}}]}"#),
        ("DOCUMENT", "1234567890", #"{"type":"header","parameters":[{"type":"document","document":{"id":"1234567890"}}]}"#),
        ("VIDEO", "http://cdn.example/v.mp4", #"{"type":"header","parameters":[{"type":"video","video":{"link":"http://cdn.example/v.mp4"}}]}"#),
    ])
    func mediaHeaders(_ format: String, _ value: String, _ expected: String) throws {
        let spec = try templateSpec(#"{"language":"en_US","category":"MARKETING","header":{"format":"\#(format)","mediaExample":"h"},"body":{"text":"See above."}}"#)
        #expect(TemplateMapping.sendComponents(for: spec, values: ["header.media": value]) == [try decodeJSON(SendComponent.self, expected)])
        #expect(TemplateMapping.sendParameterKeys(for: spec) == ["header.media"])
    }

    @Test func locationHeader() throws {
        let spec = try templateSpec(#"{"language":"en_US","category":"UTILITY","header":{"format":"LOCATION"},"body":{"text":"Your parcel is here."}}"#)
        let components = TemplateMapping.sendComponents(for: spec, values: ["header.latitude": "-6.2", "header.longitude": "106.8",
                                                                            "header.name": "Depot"])
        let location = try #require(components.first?.parameters.first?.location)
        #expect(components.first?.type == "header")
        #expect(location.latitude == -6.2)
        #expect(location.longitude == 106.8)
        #expect(location.name == "Depot")
        #expect(TemplateMapping.sendComponents(for: spec, values: [:]).isEmpty)
    }

    @Test func quickReplyPayloadsAndCopyCode() throws {
        let spec = try templateSpec(#"""
            {"language":"en_US","category":"MARKETING","body":{"text":"Your deal is ready."},
             "buttons":[{"type":"COPY_CODE","example":"250FF"},{"type":"QUICK_REPLY","text":"Stop"}]}
            """#)
        let expected = try decodeJSON([SendComponent].self, #"""
            [{"type":"button","sub_type":"copy_code","index":"0","parameters":[{"type":"coupon_code","coupon_code":"SAVE25"}]},
             {"type":"button","sub_type":"quick_reply","index":"1","parameters":[{"type":"payload","payload":"stop-campaign-7"}]}]
            """#)
        #expect(TemplateMapping.sendComponents(for: spec, values: ["button.0": "SAVE25", "button.1": "stop-campaign-7"]) == expected)
        #expect(TemplateMapping.sendParameterKeys(for: spec) == ["button.0"])
    }

    @Test func authenticationCode() throws {
        let spec = try templateSpec(#"""
            {"language":"en_US","category":"AUTHENTICATION","authentication":{"addSecurityRecommendation":true,"otpType":"COPY_CODE"}}
            """#)
        let expected = try decodeJSON([SendComponent].self, #"""
            [{"type":"body","parameters":[{"type":"text","text":"482913"}]},
             {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"482913"}]}]
            """#)
        #expect(TemplateMapping.sendComponents(for: spec, values: ["code": "482913"]) == expected)
        #expect(TemplateMapping.sendParameterKeys(for: spec) == ["code"])
        // No expiry footer and no label when not set.
        #expect(TemplateMapping.components(for: spec) == [
            TemplateComponent(type: "BODY", addSecurityRecommendation: true),
            TemplateComponent(type: "BUTTONS", buttons: [TemplateButton(type: "OTP", otpType: "COPY_CODE")]),
        ])
    }
}
