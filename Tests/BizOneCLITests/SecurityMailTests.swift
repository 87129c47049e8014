import BizOneModel
import BizOneStore
import Foundation
import Testing
import TestSupport

/// Security e-mails from the real `bizone serve` through a real SMTP server (aiosmtpd), read
/// back from what it accepted (issue 11): forgot and reset password, password change, new
/// device, 2FA, and delivery that survives an SMTP server that is down for a while.
@Suite("security e-mail")
struct SecurityMailTests {
    typealias S = SignInTests

    /// The one-time token in a reset e-mail's link.
    static func resetToken(in mail: String) throws -> String {
        let line = try #require(mail.split(separator: "\r\n").first { $0.contains("/reset-password#token=") }, "\(mail)")
        return String(try #require(line.components(separatedBy: "#token=").last))
    }

    @Test(.timeLimit(.minutes(5)))
    func forgotEmailResetRevokesEverySessionAndTheTokenWorksOnce() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        let (workspace, serve) = try await S.signedInWorld(mailer: SMTPSink.mailerYAML(port: sink.port))
        defer { serve.stop() }
        let email = "ana.wijaya@bizone.example"
        let invite = try await S.invite(email, in: workspace)
        #expect(try await S.setPassword(serve, token: invite, password: S.password).status == 200)
        let laptop = try await S.login(serve, email, agent: "laptop")
        let phone = try await S.login(serve, email, agent: "phone")
        let laptopAccess = try laptop.string("accessToken"), phoneAccess = try phone.string("accessToken")
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: phoneAccess).status == 200)
        // Each new device is an e-mail to its owner.
        let newDevice = try await sink.message(to: email, subject: "New sign-in to your BizOne account")
        #expect(newDevice.contains("laptop") || newDevice.contains("phone"), "\(newDevice)")

        // Known and unknown e-mails get the same 202.
        let known = try await HTTPAnswer.send(serve, .POST, "/api/auth/password/forgot", json: ["email": email])
        let unknown = try await HTTPAnswer.send(serve, .POST, "/api/auth/password/forgot", json: ["email": "nobody@bizone.example"])
        #expect(known.status == 202 && unknown.status == 202)
        #expect(known.text == unknown.text)
        let mail = try await sink.message(to: email, subject: "Reset your BizOne password")
        #expect(mail.contains("To: \"Ana Wijaya\" <\(email)>"), "\(mail)")
        let token = try Self.resetToken(in: mail)
        #expect(token.hasPrefix("bzp_"))

        // The invitation's endpoint does not take a reset token, and the rules still hold.
        #expect(try await S.setPassword(serve, token: token, password: "a brand new passphrase").status == 401)
        let weak = try await HTTPAnswer.send(serve, .POST, "/api/auth/password/reset", json: ["token": token, "password": "short"])
        #expect(weak.status == 422)
        let newPassword = "a brand new passphrase"
        let reset = try await HTTPAnswer.send(serve, .POST, "/api/auth/password/reset", json: ["token": token, "password": newPassword])
        #expect(reset.status == 200, "\(reset.text)")
        // Every device is signed out; the token is spent; the old password is gone.
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: laptopAccess).status == 401)
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: phoneAccess).status == 401)
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/auth/refresh", json: ["refreshToken": try laptop.string("refreshToken")]).status == 401)
        let reused = try await HTTPAnswer.send(serve, .POST, "/api/auth/password/reset", json: ["token": token, "password": "yet another passphrase"])
        #expect(reused.status == 401)
        #expect(try await S.login(serve, email).status == 401)
        let back = try await S.login(serve, email, password: newPassword, agent: "laptop")
        #expect(back.status == 200)
        _ = try await sink.message(to: email, subject: "Your BizOne password was reset")

        // Changing it while signed in: the current password is checked, the other devices end.
        let other = try await S.login(serve, email, password: newPassword, agent: "tablet")
        let otherAccess = try other.string("accessToken")
        let access = try back.string("accessToken")
        let wrong = try await HTTPAnswer.send(serve, .POST, "/api/me/password",
                                              json: ["currentPassword": "not it at all", "newPassword": "the third passphrase"], bearer: access)
        #expect(wrong.status == 403)
        let changed = try await HTTPAnswer.send(serve, .POST, "/api/me/password",
                                                json: ["currentPassword": newPassword, "newPassword": "the third passphrase"], bearer: access)
        #expect(changed.status == 200, "\(changed.text)")
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: access).status == 200)
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: otherAccess).status == 401)
        _ = try await sink.message(to: email, subject: "Your BizOne password was changed")

        // The events are there; the unknown e-mail asked for nothing that was kept.
        let store = try StateStore(path: workspace.statePath)
        let events = try store.securityEvents()
        #expect(events.filter { $0.kind == .passwordResetRequested }.map(\.email) == [email])
        #expect(events.contains { $0.kind == .passwordReset } && events.contains { $0.kind == .passwordChanged })

        // No password or token in clear: not in the state file, not in serve's output.
        let state = try Data(contentsOf: URL(fileURLWithPath: workspace.statePath))
            + ((try? Data(contentsOf: URL(fileURLWithPath: workspace.statePath + "-wal"))) ?? Data())
        for secret in [token, invite, newPassword, "the third passphrase", S.password, laptopAccess, access] {
            #expect(state.range(of: Data(secret.utf8)) == nil, "a secret is in the state file in clear")
            #expect(!serve.stdout.text.contains(secret) && !serve.stderr.text.contains(secret))
        }
    }

    /// The SMTP server is down when the mail is queued: the attempt fails and is logged, the
    /// mail waits, and it goes once the server is up; the Mailer's AUTH password is a secret
    /// reference, resolved by serve and never printed.
    @Test(.timeLimit(.minutes(5)))
    func aMailIsRetriedUntilTheServerTakesItWithTheDeclaredCredentials() async throws {
        // A free port: a sink that listened on it and stopped.
        let probe = try await SMTPSink()
        let port = probe.port
        await probe.stopped()
        let smtpPassword = "smtp-password-not-for-logs"
        let (workspace, serve) = try await S.signedInWorld(mailer: SMTPSink.mailerYAML(port: port, username: "bizone"),
                                                           serveArguments: ["--mail-retry", "1s"],
                                                           environment: ["SMTP_PASSWORD": smtpPassword])
        defer { serve.stop() }
        let email = "bagus.pratama@bizone.example"
        let token = try await S.invite(email, in: workspace)
        #expect(try await S.setPassword(serve, token: token, password: S.password).status == 200)
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/auth/password/forgot", json: ["email": email]).status == 202)
        _ = try await serve.stderr.line(containing: "security e-mail not delivered; will retry")
        let store = try StateStore(path: workspace.statePath)
        #expect(try store.mailOutboxCounts().lastError != nil)

        let sink = try await SMTPSink(port: port, user: "bizone", password: smtpPassword)
        defer { sink.stop() }
        let mail = try await sink.message(to: email, subject: "Reset your BizOne password")
        let reset = try await HTTPAnswer.send(serve, .POST, "/api/auth/password/reset",
                                              json: ["token": try Self.resetToken(in: mail), "password": "a brand new passphrase"])
        #expect(reset.status == 200)
        #expect(!serve.stdout.text.contains(smtpPassword) && !serve.stderr.text.contains(smtpPassword))
        let status = try await workspace.run(["status"], environment: S.environment)
        #expect(status.stdout.contains("smtp 127.0.0.1:\(port)"), "\(status.stdout)")
    }
}
