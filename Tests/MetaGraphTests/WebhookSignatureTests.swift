import Foundation
import Testing
import TestSupport
@testable import MetaGraph

/// Reference §11.2: HMAC-SHA256 over the exact body bytes.
@Suite struct WebhookSignatureTests {
    static let compactTextWebhook = #"{"object":"whatsapp_business_account","entry":[{"id":"419561257915477","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]},"field":"messages"}]}]}"#

    struct Vector: Sendable, CustomTestStringConvertible {
        var secret: String
        var body: String
        var byteCount: Int
        var digest: String
        var testDescription: String { "\(secret) / \(byteCount) bytes" }
    }

    static let vectors: [Vector] = [
        Vector(secret: "secret", body: "test", byteCount: 4, digest: "0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"),
        Vector(secret: "secret", body: "body", byteCount: 4, digest: "dc46983557fea127b43af721467eb9b3fde2338fe3e14f51952aa8478c13d355"),
        Vector(secret: "secret", body: "", byteCount: 0, digest: "f9e66e179b6747ae54108f82f8ade8b3c25d76fd30afde6c395822c530196169"),
        Vector(secret: "secret", body: #"{"a":"caf\u00e9"}"#, byteCount: 17,
               digest: "5f525fd53aae8f53adfb58a7459a4c34729dd55ae2bb35d062f828f7aa8fd3f5"),
        Vector(secret: "secret", body: #"{"a":"café"}"#, byteCount: 13,
               digest: "7bbc8a476aadfe35018d165551d49806fa9a579dc4c4dc17847770337560bf58"),
        Vector(secret: "bizone-test-app-secret", body: #"{"profile":{"name":"Luc\u00eda"}}"#, byteCount: 33,
               digest: "03170c2e254908a76b6b90757d825bac37a6d7a407b0c35ed4c603282351f8f6"),
        Vector(secret: "bizone-test-app-secret", body: #"{"profile":{"name":"Lucía"}}"#, byteCount: 29,
               digest: "44848a8c90fcb5384e7e667de550c9e7445d24baba7ab83305a68acd2fc1647f"),
        Vector(secret: "bizone-test-app-secret", body: compactTextWebhook, byteCount: 499,
               digest: "4d06a49d1c3eb3d80fa2ff42ae26aa27937fbbb09f6aad10100f89e86261f4fa"),
    ]

    @Test(arguments: vectors)
    func referenceVectors(_ vector: Vector) {
        let body = Data(vector.body.utf8)
        #expect(body.count == vector.byteCount)
        #expect(WebhookSignature.sign(body, secret: vector.secret) == "sha256=" + vector.digest)
        #expect(WebhookSignature.verify(body, header: "sha256=" + vector.digest, secret: vector.secret))
        #expect(WebhookSignature.verify(body, header: "sha256=" + vector.digest.uppercased(), secret: vector.secret))
    }

    @Test func committedFixtureBytes() throws {
        let body = try MetaFixtures.data("webhook-messages-text")
        #expect(body.count == 985)
        let digest = "472e4de380db783d9204100302e394120adcc7c40e3d7f8e71e956943d164199"
        #expect(WebhookSignature.sign(body, secret: "bizone-test-app-secret") == "sha256=" + digest)
        #expect(WebhookSignature.verify(body, header: "sha256=" + digest, secret: "bizone-test-app-secret"))
    }

    @Test(arguments: [
        nil, "", "sha256=", "sha1=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914",
        "0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914",
        "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0915",
        "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c09",
    ] as [String?])
    func rejectsWrongHeaders(_ header: String?) {
        #expect(!WebhookSignature.verify(Data("test".utf8), header: header, secret: "secret"))
    }

    @Test func escapedAndUnescapedBodiesSignDifferently() {
        let escaped = WebhookSignature.sign(Data(#"{"a":"caf\u00e9"}"#.utf8), secret: "secret")
        let raw = WebhookSignature.sign(Data(#"{"a":"café"}"#.utf8), secret: "secret")
        #expect(escaped != raw)
    }

    @Test(arguments: [
        (#"{"a":"café"}"#, #"{"a":"caf\u00e9"}"#),
        (#"{"name":"Lucía Gómez"}"#, #"{"name":"Luc\u00eda G\u00f3mez"}"#),
        (#"{"e":"😃"}"#, #"{"e":"\ud83d\ude03"}"#),
        (#"{"e":"a😀b"}"#, #"{"e":"a\ud83d\ude00b"}"#),
        (#"{"ascii":"plain"}"#, #"{"ascii":"plain"}"#),
        (#"{"q":"’"}"#, #"{"q":"\u2019"}"#),
    ])
    func escapeNonASCII(_ input: String, _ expected: String) {
        let output = MetaJSON.escapeNonASCII(Data(input.utf8))
        #expect(String(decoding: output, as: UTF8.self) == expected)
        #expect(output.allSatisfy { $0 < 0x80 })
    }

    @Test func metaJSONSignsWhatItSends() throws {
        // The emulator's path: encode once (ASCII-escaped), sign those bytes.
        let value = ["profile": ["name": "Lucía"]]
        let bytes = try MetaJSON.encode(value)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"profile":{"name":"Luc\u00eda"}}"#)
        #expect(WebhookSignature.sign(bytes, secret: "bizone-test-app-secret")
            == "sha256=03170c2e254908a76b6b90757d825bac37a6d7a407b0c35ed4c603282351f8f6")
    }
}
