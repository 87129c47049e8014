import Foundation
import Testing
import TestSupport
@testable import MetaGraph

/// Every payload Meta documents decodes with the wire types, and survives decode -> encode ->
/// decode unchanged.
@Suite struct FixtureDecodingTests {
    /// Fixtures deliberately not decoded with BizOne's request types, and why.
    static let skipped: [String: String] = [
        // Flow, catalog and multi-product templates are not shapes BizOne creates or sends.
        "request-create-template-flow-by-id.json": "FLOW button",
        "request-create-template-flow-by-name.json": "FLOW button",
        "request-create-template-flow-by-json.json": "FLOW button",
        "request-create-template-multi-product.json": "MPM button",
        "request-send-template-catalog.json": "catalog action parameter",
        "request-send-template-flow.json": "flow action parameter",
        // Meta's OpenAPI example omits the required "type" (reference §19.18); BizOne always sends it.
        "request-send-text-preview-url.json": "invalid example without type",
    ]

    enum Shape: String, Sendable {
        case createTemplateResponse, messageTemplate, templateList, phoneNumber, sendResponse, success
        case createTemplateRequest, editTemplateRequest, sendRequest, markReadRequest, errorEnvelope, webhook
    }

    static func shape(of name: String) -> Shape? {
        let table: [(prefix: String, shape: Shape)] = [
            ("response-create-template", .createTemplateResponse),
            ("response-get-template", .messageTemplate),
            ("response-list-templates", .templateList),
            ("response-phone-number", .phoneNumber),
            ("response-send-message", .sendResponse),
            ("response-success", .success),
            ("request-create-template-", .createTemplateRequest),
            ("request-edit-template-", .editTemplateRequest),
            ("request-send-", .sendRequest),
            ("request-mark-read", .markReadRequest),
            ("error-", .errorEnvelope),
            ("webhook-", .webhook),
        ]
        return table.first { name.hasPrefix($0.prefix) }?.shape
    }

    static var decodable: [String] { MetaFixtures.names.filter { skipped[$0] == nil } }

    @Test func fixturesArePresent() {
        #expect(MetaFixtures.names.count >= 80)
        #expect(MetaFixtures.names.contains("webhook-messages-text.json"))
    }

    @Test func everyFixtureHasAShapeOrAReasonToSkip() {
        let unclassified = MetaFixtures.names.filter { Self.skipped[$0] == nil && Self.shape(of: $0) == nil }
        #expect(unclassified.isEmpty, "fixtures without a wire type: \(unclassified)")
        let missing = Self.skipped.keys.filter { !MetaFixtures.names.contains($0) }
        #expect(missing.isEmpty, "skip list names missing fixtures: \(missing)")
    }

    @Test(arguments: decodable)
    func decodesAndRoundTrips(_ name: String) throws {
        let data = try MetaFixtures.data(name)
        switch try #require(Self.shape(of: name)) {
        case .createTemplateResponse: try roundTrip(CreateTemplateResponse.self, data)
        case .messageTemplate: try roundTrip(MessageTemplate.self, data)
        case .templateList: try roundTrip(TemplateListResponse.self, data)
        case .phoneNumber: try roundTrip(PhoneNumberInfo.self, data)
        case .sendResponse: try roundTrip(SendMessageResponse.self, data)
        case .success: try roundTrip(SuccessResponse.self, data)
        case .createTemplateRequest: try roundTrip(CreateTemplateRequest.self, data)
        case .editTemplateRequest: try roundTrip(EditTemplateRequest.self, data)
        case .sendRequest: try roundTrip(SendMessageRequest.self, data)
        case .markReadRequest: try roundTrip(MarkReadRequest.self, data)
        case .errorEnvelope: try roundTrip(GraphErrorEnvelope.self, data)
        case .webhook: try roundTrip(WebhookEnvelope.self, data)
        }
    }

    func roundTrip<T: Codable & Equatable>(_ type: T.Type, _ data: Data) throws {
        let decoded = try JSONDecoder().decode(T.self, from: data)
        let encoded = try MetaJSON.encode(decoded)
        let again = try JSONDecoder().decode(T.self, from: encoded)
        #expect(again == decoded)
    }

    static let templateWebhooks = MetaFixtures.names.filter { $0.hasPrefix("webhook-template-") }

    @Test(arguments: templateWebhooks)
    func templateWebhooksCarryNumericTemplateIDs(_ name: String) throws {
        let envelope = try MetaFixtures.decode(WebhookEnvelope.self, name)
        let value = try #require(envelope.entry.first?.changes.first?.value)
        let id = try #require(value.messageTemplateID)
        #expect(id.isNumber)
        #expect(!id.value.isEmpty && id.value.allSatisfy(\.isNumber))
        #expect(envelope.entry.first?.time != nil)
        // Re-encoded as a JSON number, as Meta sends it.
        let encoded = String(decoding: try MetaJSON.encode(envelope), as: UTF8.self)
        #expect(encoded.contains("\"message_template_id\":\(id.value)"))
    }

    @Test func responseDetails() throws {
        let created = try MetaFixtures.decode(CreateTemplateResponse.self, "response-create-template")
        #expect(created == CreateTemplateResponse(id: "1689556908129832", status: "PENDING", category: "UTILITY"))

        let list = try MetaFixtures.decode(TemplateListResponse.self, "response-list-templates-with-next")
        #expect(list.data.map(\.parameterFormat) == ["NAMED", "POSITIONAL"])
        #expect(list.data[1].subCategory == "CUSTOM")
        #expect(list.paging?.next != nil)
        #expect(list.paging?.cursors?.after == "QVFIU...")

        let last = try MetaFixtures.decode(TemplateListResponse.self, "response-list-templates")
        #expect(last.paging?.next == nil)
        #expect(last.data[0].previousCategory == "ACCOUNT_UPDATE")

        let quality = try MetaFixtures.decode(MessageTemplate.self, "response-get-template-quality-score")
        #expect(quality.qualityScore == QualityScore(score: "GREEN", date: 1_758_754_645))

        let sent = try MetaFixtures.decode(SendMessageResponse.self, "response-send-message-with-message-status")
        #expect(sent.messageID == "wamid.gBGGSFcCNEOPAgkO_KJ55r4w_ww")
        #expect(sent.messages.first?.messageStatus == "accepted")

        let limit = try MetaFixtures.decode(PhoneNumberInfo.self, "response-phone-number-messaging-limit")
        #expect(limit.messagingLimit == "TIER_250")
    }

    @Test func errorEnvelopeDetails() throws {
        let envelope = try MetaFixtures.decode(GraphErrorEnvelope.self, "error-rate-limit-130429")
        #expect(envelope.error.code == 130429)
        #expect(envelope.error.errorSubcode == 2_494_055)
        #expect(envelope.error.errorData?.details == "Cloud API message throughput has been reached.")
        #expect(envelope.error.fbtraceID == "Az8or2yhqkZfEZ-_4Qn_Bam")
        let transient = try MetaFixtures.decode(GraphErrorEnvelope.self, "error-waba-rate-limit-80007")
        #expect(transient.error.isTransient == true)
    }

    @Test func webhookDetails() throws {
        let text = try MetaFixtures.decode(WebhookEnvelope.self, "webhook-messages-text")
        let message = try #require(text.entry.first?.changes.first?.value.messages?.first)
        #expect(message.type == "text")
        #expect(message.text?.body.isEmpty == false)

        let failed = try MetaFixtures.decode(WebhookEnvelope.self, "webhook-status-failed")
        let status = try #require(failed.entry.first?.changes.first?.value.statuses?.first)
        #expect(status.status == "failed")
        #expect(status.errors?.first?.code == 131049)

        let bsuid = try MetaFixtures.decode(WebhookEnvelope.self, "webhook-messages-text-username-empty-wa-id")
        let value = try #require(bsuid.entry.first?.changes.first?.value)
        #expect(value.contacts?.first?.waID == "")
        #expect(value.contacts?.first?.userID?.isEmpty == false)

        let rejected = try MetaFixtures.decode(WebhookEnvelope.self, "webhook-template-status-rejected")
        #expect(rejected.entry.first?.changes.first?.value.rejectionInfo?.reason.isEmpty == false)
    }
}
