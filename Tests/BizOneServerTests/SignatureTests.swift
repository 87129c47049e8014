import AsyncHTTPClient
import Foundation
import MetaGraph
import Testing
import TestSupport

/// Reference §11.2: HMAC-SHA256 with the app secret over the exact body bytes.
@Suite struct SignatureTests {
    @Test func documentedTestVectorIsAccepted() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            #expect(Fixtures.compactText.count == 499)
            let reply = try await h.post(Fixtures.compactText, signature: .header(Fixtures.compactTextSignature))
            #expect(reply.status == 200)
            #expect(try h.events().map(\.body) == [Fixtures.compactText])
        }
    }

    @Test func upperCaseHexIsAccepted() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let upper = "sha256=" + Fixtures.compactTextSignature.dropFirst(7).uppercased()
            let reply = try await h.post(Fixtures.compactText, signature: .header(upper))
            #expect(reply.status == 200)
            #expect(try h.events().count == 1)
        }
    }

    @Test func oneChangedByteIsRefusedAndNothingIsStored() async throws {
        let original = try MetaFixtures.data("webhook-messages-text.json")
        try await ServerHarness.run { (h: ServerHarness) async throws in
            #expect(try await h.post(original).status == 200)
            #expect(try h.events().count == 1)
            // Signed over the original, one byte of the body changed (the "D" of "Does").
            var tampered = original
            let index = try #require(tampered.firstRange(of: Data("Does".utf8))).lowerBound
            tampered[index] = UInt8(ascii: "d")
            let reply = try await h.post(tampered, signature: .header(WebhookSignature.sign(original, secret: ServerHarness.appSecret)))
            #expect(reply.status == 401)
            #expect(try h.events().count == 1)
        }
    }

    @Test(arguments: [
        ("none", nil),
        ("empty", ""),
        ("wrong secret", "other-secret"),
        ("sha1 prefix", "sha1"),
        ("no prefix", "bare"),
        ("truncated", "short"),
    ] as [(String, String?)])
    func missingOrWrongSignatureIsRefused(label: String, kind: String?) async throws {
        let body = Fixtures.compactText
        let good = WebhookSignature.sign(body, secret: ServerHarness.appSecret)
        let signature: ServerHarness.Signature
        switch kind {
        case nil: signature = .none
        case "": signature = .header("")
        case "other-secret": signature = .header(WebhookSignature.sign(body, secret: "other-secret"))
        case "sha1": signature = .header("sha1=" + good.dropFirst(7))
        case "bare": signature = .header(String(good.dropFirst(7)))
        default: signature = .header(String(good.dropLast(2)))
        }
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let reply = try await h.post(body, signature: signature)
            #expect(reply.status == 401, "\(label)")
            #expect(try h.events().isEmpty)
            #expect(ServerHarness.sample("bizone_webhook_signature_failures_total", in: try await h.scrape()) == 1)
        }
    }

    @Test func theOlderSha1HeaderAloneIsNotEnough() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            var request = HTTPClientRequest(url: h.baseURL + ServerHarness.path)
            request.method = .POST
            request.headers.add(name: "X-Hub-Signature", value: "sha1=" + String(repeating: "0", count: 40))
            request.body = .bytes(Data(Fixtures.compactText))
            let reply = try await h.send(request)
            #expect(reply.status == 401)
            #expect(try h.events().isEmpty)
        }
    }
}
