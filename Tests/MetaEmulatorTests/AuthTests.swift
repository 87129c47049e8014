import BizOneModel
import Foundation
import MetaEmulator
import Testing
import TestSupport

@Suite("Auth and nodes")
struct AuthTests {
    @Test func missingTokenIs104() async throws {
        try await Harness.run { h in
            let reply = try await h.call("GET", h.phone, token: .some(nil))
            #expect(reply.status == 401)
            #expect(reply.errorCode == 104)
            #expect(reply.json["error"]?["type"]?.stringValue == "OAuthException")
        }
    }

    @Test func wrongTokenIs190With401() async throws {
        try await Harness.run { h in
            let reply = try await h.call("GET", h.phone, token: "not-the-token")
            #expect(reply.status == 401)
            #expect(reply.errorCode == 190)
            #expect(reply.json["error"]?["message"]?.stringValue == "Invalid OAuth access token - Cannot parse access token")
            let trace = try #require(reply.json["error"]?["fbtrace_id"]?.stringValue)
            #expect(reply.headers["x-fb-trace-id"] == trace)
        }
    }

    @Test func accessTokenQueryParameterIsAccepted() async throws {
        try await Harness.run { h in
            let reply = try await h.call("GET", "\(h.emulator.baseURL)/v23.0/\(h.phone)?access_token=\(h.token)", token: .some(nil))
            #expect(reply.status == 200)
            #expect(reply.json["id"]?.stringValue == h.phone)
        }
    }

    @Test func unknownNodeIs100Subcode33() async throws {
        try await Harness.run { h in
            let reply = try await h.call("GET", "999000111")
            #expect(reply.status == 400)
            #expect(reply.errorCode == 100)
            #expect(reply.errorSubcode == 33)
            let message = try #require(reply.json["error"]?["message"]?.stringValue)
            #expect(message.hasPrefix("Unsupported get request. Object with ID '999000111' does not exist"))
            let post = try await h.call("POST", "999000111/messages", json: ["messaging_product": "whatsapp"])
            #expect(post.errorSubcode == 33)
            #expect(post.json["error"]?["message"]?.stringValue?.hasPrefix("Unsupported post request") == true)
        }
    }

    @Test func anyVersionPrefixWorks() async throws {
        try await Harness.run { h in
            for version in ["v19.0", "v24.0", "v26.0"] {
                let reply = try await h.call("GET", h.phone, version: version)
                #expect(reply.status == 200)
                #expect(reply.headers["facebook-api-version"] == version)
            }
        }
    }

    @Test func phoneNumberFields() async throws {
        try await Harness.run { h in
            let plain = try await h.call("GET", h.phone).json
            #expect(plain == ["id": .string(h.phone), "display_phone_number": "+1 555-010-0100", "verified_name": "BizOne Emulator",
                              "quality_rating": "GREEN"])
            let chosen = try await h.call("GET", "\(h.phone)?fields=throughput,whatsapp_business_manager_messaging_limit,name_status").json
            #expect(chosen["throughput"]?["level"]?.stringValue == "STANDARD")
            #expect(chosen["whatsapp_business_manager_messaging_limit"]?.stringValue == "TIER_250")
            #expect(chosen["name_status"]?.stringValue == "APPROVED")
            #expect(chosen["id"]?.stringValue == h.phone)
            #expect(chosen["verified_name"] == nil)
            let bad = try await h.call("GET", "\(h.phone)?fields=nonsense")
            #expect(bad.errorCode == 100)
        }
    }

    @Test func requestLogRedactsTheToken() async throws {
        try await Harness.run { h in
            _ = try await h.call("GET", "\(h.emulator.baseURL)/v23.0/\(h.phone)?fields=id&access_token=\(h.token)", token: .some(nil))
            _ = try await h.call("GET", "42", token: "wrong")
            let log = await h.control.requests()
            #expect(log.count == 2)
            #expect(log[0].query.contains("REDACTED"))
            #expect(!log[0].query.contains(h.token))
            #expect(log[1].errorCode == 190)
            #expect(log[1].status == 401)
        }
    }

    @Test func unknownEdgeIs2500AndWrongMethodIs33() async throws {
        try await Harness.run { h in
            let edge = try await h.call("GET", "\(h.waba)/nonsense")
            #expect(edge.errorCode == 2500)
            let method = try await h.call("DELETE", h.phone)
            #expect(method.errorCode == 100)
            #expect(method.errorSubcode == 33)
            let subscribed = try await h.call("POST", "\(h.waba)/subscribed_apps")
            #expect(subscribed.json == ["success": true])
        }
    }

    @Test func formEncodedCreateIsAccepted() async throws {
        try await Harness.run { h in
            let components = #"[{"type":"BODY","text":"Plain text, no variables."}]"#
            var form = "name=form_made&language=en_US&category=UTILITY&components="
            form += components.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let reply = try await Harness.sendForm("POST", "\(h.emulator.baseURL)/v23.0/\(h.waba)/message_templates?access_token=\(h.token)",
                                                   body: form)
            #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
            #expect(reply.json["status"]?.stringValue == "PENDING")
        }
    }
}
