import BizOneEngine
import BizOneModel
import Foundation
import MetaGraph
import Testing
import TestSupport

@Suite struct EventDecoderTests {
    func items(_ fixture: String) throws -> [WebhookItem] {
        try EventDecoder.decode(MetaFixtures.data(fixture))
    }

    func onlyStatus(_ fixture: String) throws -> MessageStatusEvent {
        let decoded = try items(fixture)
        guard decoded.count == 1, case .status(let status) = decoded[0] else {
            Issue.record("expected one status in \(fixture), got \(decoded)")
            throw DecoderTestFailure()
        }
        return status
    }

    func onlyInbound(_ fixture: String) throws -> InboundMessageEvent {
        let decoded = try items(fixture)
        guard decoded.count == 1, case .inbound(let message) = decoded[0] else {
            Issue.record("expected one inbound message in \(fixture), got \(decoded)")
            throw DecoderTestFailure()
        }
        return message
    }

    struct DecoderTestFailure: Error {}

    /// The tree decoder (statuses, messages) and JSONDecoder agree on every change value Meta
    /// documents, decoded as a whole `WebhookValue` (every wire type at once).
    @Test func treeDecoderAgreesWithJSONDecoderOnEveryDocumentedValue() throws {
        var compared = 0
        for name in MetaFixtures.names where name.hasPrefix("webhook-") {
            let root = try JSONValue.parse(MetaFixtures.data(name))
            guard case .array(let entries)? = root["entry"] else { continue }
            for entry in entries {
                guard case .array(let changes)? = entry["changes"] else { continue }
                for change in changes {
                    guard let value = change["value"] else { continue }
                    let viaText = Result { try value.decode(WebhookValue.self) }
                    let viaTree = Result { try value.decodeTree(WebhookValue.self) }
                    switch (viaText, viaTree) {
                    case (.success(let text), .success(let tree)):
                        #expect(text == tree, "\(name)")
                    case (.failure, .failure):
                        break
                    default:
                        Issue.record("\(name): JSONDecoder \(viaText), tree \(viaTree)")
                    }
                    compared += 1
                }
            }
        }
        #expect(compared > 20)
    }

    // MARK: statuses

    @Test func sentStatusWithPricing() throws {
        let status = try onlyStatus("webhook-status-sent")
        #expect(status.wamid == "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=")
        #expect(status.status == "sent")
        #expect(status.at == Date(timeIntervalSince1970: 1_750_030_073))
        #expect(status.recipientID == "16505551234")
        #expect(status.recipientUserID == nil)
        #expect(status.pricingCategory == "marketing")
        #expect(status.errorCode == nil)
    }

    @Test func deliveredStatus() throws {
        let status = try onlyStatus("webhook-status-delivered")
        #expect(status.status == "delivered")
        #expect(status.at == Date(timeIntervalSince1970: 1_750_263_773))
        #expect(status.pricingCategory == "service")
    }

    @Test func deliveredToBusinessScopedUser() throws {
        let status = try onlyStatus("webhook-status-delivered-to-bsuid")
        #expect(status.status == "delivered")
        #expect(status.recipientID == nil, "an empty recipient_id is no phone number")
        #expect(status.recipientUserID == "user.9373795779eb6441c8adb2eaee5b848e7dd174ddd302d7db62142f4722d574b6")
    }

    @Test func failedStatusCarriesTheFirstError() throws {
        let status = try onlyStatus("webhook-status-failed")
        #expect(status.status == "failed")
        #expect(status.errorCode == 131_049)
        #expect(status.errorTitle == "This message was not delivered to maintain healthy ecosystem engagement.")
        #expect(status.errorDetails == "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.")
        #expect(status.at == Date(timeIntervalSince1970: 1_751_142_888))
    }

    @Test func minimalV24Status() throws {
        let status = try onlyStatus("webhook-status-sent-v24-minimal")
        #expect(status.status == "sent")
        #expect(status.pricingCategory == nil)
    }

    // MARK: inbound

    @Test func textMessageWithItsContact() throws {
        let message = try onlyInbound("webhook-messages-text")
        #expect(message.wamid == "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=")
        #expect(message.waID == "16505551234")
        #expect(message.userID == nil)
        #expect(message.profileName == "Sheena Nelson")
        #expect(message.phoneNumberID == "106540352242922")
        #expect(message.at == Date(timeIntervalSince1970: 1_749_416_383))
        #expect(message.type == "text")
        #expect(message.text == "Does it come in another color?")
        #expect(message.raw["text"]?["body"]?.stringValue == "Does it come in another color?")
        #expect(message.raw["from"]?.stringValue == "16505551234")
        #expect(message.contactKey == "wa:16505551234")
    }

    @Test func businessScopedUserWithEmptyWhatsAppID() throws {
        let message = try onlyInbound("webhook-messages-text-username-empty-wa-id")
        #expect(message.userID == "user.93737...")
        #expect(message.waID?.isEmpty ?? true, "wa_id and from are empty strings")
        #expect(message.profileName == "Sheena Nelson")
        #expect(message.contactKey == "user:user.93737...")
        #expect(message.text == "Does it come in another color?")
    }

    @Test func quickReplyButtonTextIsTheLabel() throws {
        let message = try onlyInbound("webhook-messages-button-quick-reply")
        #expect(message.type == "button")
        #expect(message.text == "Unsubscribe")
        #expect(message.raw["context"]?["id"]?.stringValue == "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJFNjk2OTMwNEZCQjhGMzUyQUYA")
    }

    @Test func interactiveRepliesUseTheTitle() throws {
        #expect(try onlyInbound("webhook-messages-interactive-button-reply").text == "Cancel")
        #expect(try onlyInbound("webhook-messages-interactive-list-reply").text == "Priority Mail Express")
    }

    @Test func unsupportedAndMediaMessagesHaveNoText() throws {
        let unsupported = try onlyInbound("webhook-messages-unsupported")
        #expect(unsupported.type == "unsupported")
        #expect(unsupported.text == nil)
        #expect(unsupported.raw["errors"] != nil)
        let image = try onlyInbound("webhook-messages-image")
        #expect(image.type == "image")
        #expect(image.text == nil)
        #expect(try onlyInbound("webhook-messages-reaction").type == "reaction")
    }

    @Test func systemMessageWithoutContacts() throws {
        let message = try onlyInbound("webhook-messages-system-user-changed-number")
        #expect(message.type == "system")
        #expect(message.waID == "16505551234")
        #expect(message.profileName == nil)
    }

    @Test func unknownMessageTypeIsKeptRaw() throws {
        let body = Seed.textMessage(wamid: "wamid.X", from: "16505551234", text: "hi")
            .replacingOccurrences(of: #""type":"text","text":{"body":"hi"}"#, with: #""type":"hologram","hologram":{"beam":1}"#)
        let decoded = try EventDecoder.decode(Data(body.utf8))
        guard case .inbound(let message)? = decoded.first else {
            Issue.record("expected an inbound message, got \(decoded)")
            return
        }
        #expect(message.type == "hologram")
        #expect(message.raw["hologram"]?["beam"] == .int(1))
    }

    // MARK: templates

    @Test func templateApproved() throws {
        let decoded = try items("webhook-template-status-approved")
        guard case .templateStatus(let event)? = decoded.first, decoded.count == 1 else {
            Issue.record("expected a template status, got \(decoded)")
            return
        }
        #expect(event.subject.templateID == "1689556908129832")
        #expect(event.subject.name == "order_confirmation")
        #expect(event.subject.language == "en_US", "en-US is normalised")
        #expect(event.subject.at == Date(timeIntervalSince1970: 1_751_247_548))
        #expect(event.event == "APPROVED")
        #expect(event.reason == nil, "NONE is no reason")
        #expect(event.detail == nil)
        #expect(event.category == "UTILITY")
    }

    @Test func templateRejectedWithReasonAndRejectionInfo() throws {
        let decoded = try items("webhook-template-status-rejected")
        guard case .templateStatus(let event)? = decoded.first else {
            Issue.record("expected a template status, got \(decoded)")
            return
        }
        #expect(event.subject.templateID == "1689556908129835")
        #expect(event.subject.language == "en")
        #expect(event.event == "REJECTED")
        #expect(event.reason == "INVALID_FORMAT")
        let detail = try #require(event.detail)
        #expect(detail.hasPrefix("Your template has parameters placed next to each other"))
        #expect(detail.contains("Recommendation: Separate parameters with descriptive text"))
    }

    @Test func qualityUpdateIsDetectedByItsPayload() throws {
        // Meta's example labels it message_template_status_update.
        let decoded = try items("webhook-template-quality-yellow")
        guard case .templateQuality(let event)? = decoded.first, decoded.count == 1 else {
            Issue.record("expected a quality update, got \(decoded)")
            return
        }
        #expect(event.newScore == "YELLOW")
        #expect(event.previousScore == "GREEN")
        #expect(event.subject.templateID == "806312974732579")
        #expect(event.subject.language == "en_US")
    }

    @Test func categoryCompletedAndImpending() throws {
        guard case .templateCategory(let completed)? = try items("webhook-template-category-completed").first else {
            Issue.record("expected a category update")
            return
        }
        #expect(!completed.isImpending)
        #expect(completed.newCategory == "MARKETING")
        #expect(completed.previousCategory == "UTILITY")

        guard case .templateCategory(let impending)? = try items("webhook-template-category-impending").first else {
            Issue.record("expected a category update")
            return
        }
        #expect(impending.isImpending)
        #expect(impending.newCategory == "UTILITY")
        #expect(impending.upcomingCategory == "MARKETING")
        #expect(impending.upcomingAt == Date(timeIntervalSince1970: 1_746_169_200))
    }

    // MARK: everything else

    @Test func valueLevelErrors() throws {
        let decoded = try items("webhook-errors-rate-limit")
        guard case .valueErrors(let field, let errors)? = decoded.first, decoded.count == 1 else {
            Issue.record("expected value errors, got \(decoded)")
            return
        }
        #expect(field == "messages")
        #expect(errors.map(\.code) == [130_429])
        #expect(errors.first?.title == "Rate limit hit")
    }

    @Test func unhandledFieldsAreAcknowledged() throws {
        #expect(try items("webhook-template-components-update") == [.unknown(field: "message_template_components_update")])
        #expect(try items("webhook-group-lifecycle-create").allSatisfy {
            if case .unknown = $0 { return true }
            return false
        })
    }

    @Test func sourceNamesAccountAndPhoneNumber() throws {
        let decoded = try EventDecoder.decodeItems(MetaFixtures.data("webhook-status-sent"))
        #expect(decoded.first?.source == WebhookSource(businessAccountID: "102290129340398", phoneNumberID: "106540352242922"))
        let template = try EventDecoder.decodeItems(MetaFixtures.data("webhook-template-status-approved"))
        #expect(template.first?.source == WebhookSource(businessAccountID: "102290129340398", phoneNumberID: nil))
    }

    /// Status times take a digits-only fast path; every other spelling goes the general way
    /// (trimmed, any number Double reads), and the two agree where both apply.
    @Test func statusTimestampsInEverySpelling() throws {
        let cases: [(String, Double?)] = [
            ("1750000000", 1_750_000_000), (" 1750000000 ", 1_750_000_000), ("0001750000000", 1_750_000_000),
            ("1750000000.5", 1_750_000_000.5), ("1.75e9", 1_750_000_000), ("0", 0), ("", nil), ("abc", nil), ("-5", nil),
            ("99999999999999", nil), ("9999999999999999999999", nil), ("17500000０0", nil), ("nan", nil),
        ]
        for (text, expected) in cases {
            let body = Seed.statuses([("wamid.T", "sent", 1)]).replacingOccurrences(of: #""timestamp":"1""#, with: #""timestamp":"\#(text)""#)
            let decoded = try EventDecoder.decode(Data(body.utf8))
            switch (decoded.first, expected) {
            case (.status(let status)?, let seconds?):
                #expect(status.at == Date(timeIntervalSince1970: seconds), "\(text)")
            case (.malformed?, nil):
                break
            default:
                Issue.record("\(text): expected \(String(describing: expected)), got \(decoded)")
            }
        }
    }

    @Test func oneUnreadableStatusDoesNotHideTheOthers() throws {
        let body = Seed.statuses([("wamid.A", "sent", 1_750_000_000), ("wamid.B", "delivered", 1_750_000_001)])
            .replacingOccurrences(of: #""timestamp":"1750000000","#, with: "")
        let decoded = try EventDecoder.decode(Data(body.utf8))
        #expect(decoded.count == 2)
        if case .malformed(let field, _)? = decoded.first { #expect(field == "messages") } else { Issue.record("expected malformed first, got \(decoded)") }
        if case .status(let status)? = decoded.last { #expect(status.wamid == "wamid.B") } else { Issue.record("expected a status, got \(decoded)") }
    }

    @Test func severalEntriesAndChangesInOnePost() throws {
        let body = """
            {"object":"whatsapp_business_account","entry":[
              {"id":"1","changes":[{"value":{"statuses":[{"id":"w1","status":"sent","timestamp":"1","recipient_id":"1"},
                                                          {"id":"w1","status":"read","timestamp":"3","recipient_id":"1"}]},"field":"messages"},
                                   {"field":"account_update","value":{"event":"VERIFIED_ACCOUNT"}}]},
              {"id":"2","changes":[{"field":"messages","value":{"statuses":[{"id":"w2","status":"delivered","timestamp":"2","recipient_id":"2"}]}}]}]}
            """
        let decoded = try EventDecoder.decode(Data(body.utf8))
        #expect(decoded.map(\.field) == ["messages", "messages", "account_update", "messages"])
        let wamids = decoded.compactMap { item -> String? in
            if case .status(let status) = item { return "\(status.wamid):\(status.status)" }
            return nil
        }
        #expect(wamids == ["w1:sent", "w1:read", "w2:delivered"])
    }

    @Test func notAnEnvelopeThrows() {
        #expect(throws: EventDecoder.DecodeError.self) { try EventDecoder.decode(Data("not json".utf8)) }
        #expect(throws: EventDecoder.DecodeError.self) { try EventDecoder.decode(Data(#"{"object":"page"}"#.utf8)) }
    }
}
