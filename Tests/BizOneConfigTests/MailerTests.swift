@testable import BizOneConfig
import BizOneModel
import Foundation
import Testing

@Suite("Mailer")
struct MailerTests {
    static func mailer(_ name: String = "smtp", _ extra: String = "", host: String = "smtp.example.com") -> String {
        """
        apiVersion: bizone/v1
        kind: Mailer
        metadata:
          name: \(name)
        spec:
          host: \(host)
          from: security@example.com
        \(extra)

        """
    }

    @Test func aMailerLoadsWithItsDefaults() throws {
        let (result, _) = try loadOne(Self.mailer("smtp", "  username: bizone\n  password: {env: SMTP_PASSWORD}"))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let resource = try #require(result.desired?.resources.first)
        guard case .mailer(let spec) = resource.spec else { Issue.record("not a mailer: \(resource.spec)"); return }
        #expect(spec.port == 587 && spec.security == .starttls && spec.password == .env("SMTP_PASSWORD"))
    }

    @Test func theSMTPPasswordMustBeAReference() throws {
        let (result, file) = try loadOne(Self.mailer("smtp", "  username: bizone\n  password: hunter2hunter2"))
        let error = try #require(result.errors.first)
        #expect(error.message == "spec.password must be a secret reference, not a value")
        #expect(error.location?.file == file && error.location?.line == 9)
        #expect(!error.description.contains("hunter2hunter2"))
    }

    @Test func oneMailerAtMostAndAUsernameNeedsAPassword() throws {
        let (two, _) = try loadOne(YAML.documents(Self.mailer("a"), Self.mailer("b")))
        #expect(two.errors.contains { $0.message.hasPrefix("only one Mailer can be declared") }, "\(two.diagnostics)")
        let (half, file) = try loadOne(Self.mailer("smtp", "  username: bizone"))
        let error = try #require(half.errors.first)
        #expect(error.message == "username needs a password (a secret reference)")
        #expect(error.location?.file == file && error.location?.line == 8)
    }

    @Test func plainSMTPToAnotherHostIsAWarning() throws {
        let (remote, _) = try loadOne(Self.mailer("smtp", "  security: none"))
        #expect(remote.errors.isEmpty && remote.diagnostics.contains { $0.severity == .warning && $0.message.contains("unencrypted") })
        let (loopback, _) = try loadOne(Self.mailer("smtp", "  security: none", host: "127.0.0.1"))
        #expect(loopback.diagnostics.isEmpty, "\(loopback.diagnostics)")
    }

    @Test func aCannedResponseKnowsItsFillInsAndItsShortcodeIsUnique() throws {
        func canned(_ name: String, _ shortcode: String, _ text: String) -> String {
            "apiVersion: bizone/v1\nkind: CannedResponse\nmetadata:\n  name: \(name)\nspec:\n  shortcode: \(shortcode)\n  text: \"\(text)\"\n"
        }
        let (unknown, file) = try loadOne(canned("eta", "eta", "Hi {{contact.nickname}}"))
        let error = try #require(unknown.errors.first)
        #expect(error.message == "unknown fill-in {{contact.nickname}}" && error.location?.file == file && error.location?.line == 7)
        let (twice, _) = try loadOne(YAML.documents(canned("a", "eta", "x"), canned("b", "eta", "y")))
        #expect(twice.errors.contains { $0.message == "shortcode eta is also the shortcode of b" }, "\(twice.diagnostics)")
        #expect(CannedResponseSpec(shortcode: "eta", text: "Hi {{contact.name}}, {{agent.name}} here").rendered(values: ["agent.name": "Eka"])
                == "Hi , Eka here")
    }
}
