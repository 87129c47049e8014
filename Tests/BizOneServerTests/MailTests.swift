@testable import BizOneServer
import BizOneModel
import BizOneStore
import Foundation
import TestSupport
import Testing

/// The e-mail side of serve without a network: the RFC 5322 text, the words of each mail, and
/// one delivery attempt against a recording transport.
@Suite("security mail")
struct MailTests {
    static let mailer = MailerSpec(host: "127.0.0.1", port: 2525, security: .none, from: "security@bizone.example",
                                   fromName: "BizOne", username: "bizone", password: .env("TEST_SMTP_PASSWORD"),
                                   consoleURL: "https://console.example/")

    static func mail(_ kind: SecurityMailKind, sealed: String? = nil, displayName: String = "Ana") -> OutboxMail {
        OutboxMail(id: 7, kind: kind, recipient: "ana@example.com",
                   user: UserRecord(name: "ana", email: "ana@example.com", displayName: displayName, disabled: false, teams: [], roles: []),
                   event: SecurityEvent(at: Date(timeIntervalSince1970: 1_750_000_000), kind: .loginSucceeded, userName: "ana",
                                        email: "ana@example.com", ip: "203.0.113.9", detail: "agent: Firefox on Linux"),
                   sealedSecret: sealed, attempts: 0, createdAt: Date(timeIntervalSince1970: 1_750_000_000))
    }

    @Test("headers cannot be injected through a display name; non-ASCII goes as encoded words and base64")
    func rendering() throws {
        let message = MailMessage(from: .init(email: "security@bizone.example", name: "BizOne"),
                                  to: .init(email: "ana@example.com", name: "Ana\r\nBcc: evil@example.com"),
                                  subject: "Kata sandi diubah — café", body: "Halo Ana,\nkata sandi: ✓\n",
                                  date: Date(timeIntervalSince1970: 1_750_000_000), messageID: "m1@bizone")
        let text = message.rendered()
        let lines = text.components(separatedBy: "\r\n")
        #expect(!lines.contains { $0.hasPrefix("Bcc:") })
        #expect(lines.contains("To: \"AnaBcc: evil@example.com\" <ana@example.com>"))
        #expect(lines.contains("Subject: =?utf-8?B?\(Data("Kata sandi diubah — café".utf8).base64EncodedString())?="))
        #expect(lines.contains("Date: Sun, 15 Jun 2025 15:06:40 +0000"))
        #expect(lines.contains("Content-Transfer-Encoding: base64"))
        let body = lines.drop { !$0.isEmpty }.dropFirst().joined()
        #expect(String(data: Data(base64Encoded: body) ?? Data(), encoding: .utf8) == "Halo Ana,\r\nkata sandi: ✓\r\n")
        #expect(!text.contains("\n\n") && text.hasSuffix("\r\n"))

        let ascii = MailMessage(from: .init(email: "a@b.example"), to: .init(email: "c@d.example", name: "Dimas \"D\" S"),
                                subject: "Plain", body: "one\r\ntwo", date: Date(timeIntervalSince1970: 0), messageID: "x").rendered()
        #expect(ascii.contains("To: \"Dimas \\\"D\\\" S\" <c@d.example>\r\n"))
        #expect(ascii.contains("Content-Transfer-Encoding: 7bit\r\n\r\none\r\ntwo\r\n"))
    }

    @Test("each mail kind says what happened, when and from where; a reset mail carries its link")
    func composing() throws {
        let composer = SecurityMailComposer(mailer: Self.mailer)
        for kind in SecurityMailKind.allCases {
            let composed = try #require(composer.compose(Self.mail(kind), resetToken: "bzp_token"))
            #expect(composed.body.hasPrefix("Hello Ana,"))
            #expect(composed.body.contains("2025-06-15 15:06:40 UTC"), "\(kind)")
            #expect(composed.body.contains("203.0.113.9"), "\(kind)")
        }
        let device = try #require(composer.compose(Self.mail(.newDeviceSignIn), resetToken: nil))
        #expect(device.body.contains("Firefox on Linux"))
        let reset = try #require(composer.compose(Self.mail(.passwordResetRequested), resetToken: "bzp_token"))
        #expect(reset.body.contains("https://console.example/reset-password#token=bzp_token"))
        #expect(composer.compose(Self.mail(.passwordResetRequested), resetToken: nil) == nil)
        var noConsole = Self.mailer
        noConsole.consoleURL = nil
        let bare = try #require(SecurityMailComposer(mailer: noConsole).compose(Self.mail(.passwordResetRequested), resetToken: "bzp_token"))
        #expect(bare.body.contains("POST /api/auth/password/reset") && bare.body.contains("  bzp_token"))
    }

    /// What the transport was asked to send.
    final class Recorder: SMTPTransport, @unchecked Sendable {
        let sent = Locked<[(message: String, to: String, password: String?)]>([])
        let failure: SMTPError?

        init(failure: SMTPError? = nil) { self.failure = failure }

        func send(_ message: String, from: String, to: String, via mailer: MailerSpec, password: String?) async throws {
            sent.append((message, to, password))
            if let failure { throw failure }
        }
    }

    func delivery(_ transport: Recorder, secretKey: String?, store: StateStore, password: String? = "smtp-secret") -> MailDelivery {
        MailDelivery(store: store, transport: transport, secretKey: secretKey, resolveSecret: { _ in password })
    }

    @Test("an attempt opens the reset token from its seal and resolves the Mailer's password at send time")
    func attempt() async throws {
        try await withTemporaryDirectory { directory in
            let store = try StateStore(path: directory.path("state.db"))
            let sealed = try SecretSealer.mail(secret: "the-key").seal("bzp_secret_token")
            let recorder = Recorder()
            #expect(await delivery(recorder, secretKey: "the-key", store: store)
                .attempt(Self.mail(.passwordResetRequested, sealed: sealed), mailer: Self.mailer) == nil)
            let sent = try #require(recorder.sent.withValue { $0.first })
            #expect(sent.message.contains("https://console.example/reset-password#token=bzp_secret_token"))
            #expect(sent.to == "ana@example.com" && sent.password == "smtp-secret")

            // Another key cannot open it: nothing is sent, and the error says why without the value.
            let other = Recorder()
            let error = await delivery(other, secretKey: "another-key", store: store)
                .attempt(Self.mail(.passwordResetRequested, sealed: sealed), mailer: Self.mailer)
            #expect(error?.contains("BIZONE_SECRET_KEY") == true)
            #expect(other.sent.withValue { $0.isEmpty })
            // The password reference unset: not sent, the reference named.
            let unset = await delivery(other, secretKey: "the-key", store: store, password: nil).attempt(Self.mail(.accountLocked), mailer: Self.mailer)
            #expect(unset == "the Mailer's password (env:TEST_SMTP_PASSWORD) is not set")
            // The server refusing is the error recorded.
            let refused = await delivery(Recorder(failure: SMTPError(message: "Authentication failed", replyCode: 535)), secretKey: nil, store: store)
                .attempt(Self.mail(.accountLocked), mailer: Self.mailer)
            #expect(refused == "Authentication failed (SMTP 535)")
        }
    }

    @Test("the curl transport refuses a host that could change its URL")
    func hostCheck() {
        #expect(CurlSMTPTransport.isHost("smtp.example.com") && CurlSMTPTransport.isHost("127.0.0.1") && CurlSMTPTransport.isHost("::1"))
        #expect(!CurlSMTPTransport.isHost("evil.example/x") && !CurlSMTPTransport.isHost("a@b") && !CurlSMTPTransport.isHost(""))
        #expect(!CurlSMTPTransport.isHost("host name"))
    }
}
