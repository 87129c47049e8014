import Foundation
import Testing

/// Reference §11.1: GET with hub.mode, hub.verify_token and hub.challenge (names with dots).
@Suite struct HandshakeTests {
    static let token = ServerHarness.verifyToken

    @Test(arguments: [ServerHarness.path, ServerHarness.path + "/meta"])
    func answersTheRawChallenge(path: String) async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let reply = try await h.get("\(path)?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=\(Self.token)")
            #expect(reply.status == 200)
            #expect(reply.text == "1158201444")
            #expect(reply.header("Content-Type")?.hasPrefix("text/plain") == true)
        }
    }

    @Test func challengeIsOpaqueAndPercentDecoded() async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            // Parameter order differs from Meta's and the challenge is not numeric.
            let reply = try await h.get(
                "\(ServerHarness.path)?hub.verify_token=\(Self.token)&hub.challenge=abc%2Bdef-0042&hub.mode=subscribe")
            #expect(reply.status == 200)
            #expect(reply.text == "abc+def-0042")
        }
    }

    @Test(arguments: [
        "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong-token",
        "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=\(ServerHarness.verifyToken)x",
        "hub.mode=unsubscribe&hub.challenge=1158201444&hub.verify_token=\(ServerHarness.verifyToken)",
        "hub.challenge=1158201444&hub.verify_token=\(ServerHarness.verifyToken)",
        "hub.mode=subscribe&hub.challenge=1158201444",
        "hub_mode=subscribe&hub_challenge=1158201444&hub_verify_token=\(ServerHarness.verifyToken)",
        "",
    ])
    func refusesAWrongTokenOrMode(query: String) async throws {
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let reply = try await h.get("\(ServerHarness.path)?\(query)")
            #expect(reply.status == 403)
            #expect(!reply.text.contains("1158201444"))
        }
    }

    @Test func endpointWithoutVerifyTokenRefusesEveryHandshake() async throws {
        try await ServerHarness.run(configure: { $0.endpoints[0].verifyToken = nil }) { (h: ServerHarness) async throws in
            let reply = try await h.get("\(ServerHarness.path)?hub.mode=subscribe&hub.challenge=1&hub.verify_token=")
            #expect(reply.status == 403)
        }
    }
}
