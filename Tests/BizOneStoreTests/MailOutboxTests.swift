import BizOneModel
import BizOneStore
import Foundation
import Testing

/// The security e-mail outbox: queued with its event, claimed by one server at a time, retried
/// and given up by `MailRetry`, expired reset mails never sent.
@Suite("Mail outbox")
struct MailOutboxTests {
    static let t0 = Fixture.t0

    /// A declared user `ana` (ana@example.com) with an agent role.
    static func withAna(_ body: (StateStore) throws -> Void) throws {
        try TemporaryStore.with { store in
            try Fixture.apply([
                Fixture.create(Fixture.roleID("agent"), Fixture.role(permissions: ["conversations": ["read"]])),
                Fixture.create(Fixture.userID("ana"), Fixture.user(email: "ana@example.com", displayName: "Ana", roles: ["agent"])),
            ], to: store)
            try body(store)
        }
    }

    static func lockout(_ store: StateStore, email: String, at: Date = t0) throws -> SecurityEvent? {
        var lockout: SecurityEvent?
        for attempt in 0..<LoginLimits().perEmail {
            let failure = SecurityEvent(at: at + Double(attempt), kind: .loginFailed, userName: email == "ana@example.com" ? "ana" : nil,
                                        email: email, ip: "10.0.0.1")
            lockout = try store.recordLoginFailure(emailKey: email, ip: "10.0.0.1", at: at + Double(attempt), limits: LoginLimits(),
                                                   event: failure) ?? lockout
        }
        return lockout
    }

    @Test("a lockout of an account queues one mail to its owner, with its event; of an unknown e-mail, none")
    func lockoutQueuesOne() throws {
        try Self.withAna { store in
            #expect(try Self.lockout(store, email: "ana@example.com") != nil)
            #expect(try Self.lockout(store, email: "nobody@example.com") != nil)
            #expect(try store.mailOutboxCounts() == MailOutboxCounts(queued: 1, delivered: 0, failed: 0))
            let claimed = try store.claimMails(at: Self.t0 + 60, lease: 120, limit: 10)
            #expect(claimed.map(\.kind) == [.accountLocked])
            #expect(claimed.first?.recipient == "ana@example.com")
            #expect(claimed.first?.user?.displayName == "Ana")
            #expect(claimed.first?.event?.kind == .accountLocked)
            #expect(claimed.first?.event?.detail?.contains("10 failed sign-ins") == true)
        }
    }

    @Test("a claimed mail is not handed to a second server until its lease runs out")
    func leaseHolds() throws {
        try Self.withAna { store in
            _ = try Self.lockout(store, email: "ana@example.com")
            let first = try store.claimMails(at: Self.t0 + 60, lease: 120, limit: 10)
            #expect(first.count == 1)
            #expect(try store.claimMails(at: Self.t0 + 61, lease: 120, limit: 10).isEmpty)
            // The first server died without finishing: another one takes it after the lease.
            let again = try store.claimMails(at: Self.t0 + 60 + 121, lease: 120, limit: 10)
            #expect(again.map(\.id) == first.map(\.id))
        }
    }

    @Test("failures are retried with backoff, then given up; a delivered mail is done")
    func retryThenGiveUp() throws {
        try Self.withAna { store in
            _ = try Self.lockout(store, email: "ana@example.com")
            let retry = MailRetry(base: 30, cap: 3600, maxAttempts: 3)
            var now = Self.t0 + 60
            let mail = try #require(try store.claimMails(at: now, lease: 120, limit: 10).first)
            let next = try store.finishMail(id: mail.id, at: now, error: "connection refused", retry: retry)
            #expect(next == now + 30)
            #expect(try store.claimMails(at: now + 29, lease: 120, limit: 10).isEmpty)
            now += 30
            #expect(try store.claimMails(at: now, lease: 120, limit: 10).first?.attempts == 1)
            #expect(try store.finishMail(id: mail.id, at: now, error: "451 try later", retry: retry) == now + 60)
            now += 60
            _ = try store.claimMails(at: now, lease: 120, limit: 10)
            #expect(try store.finishMail(id: mail.id, at: now, error: "451 try later", retry: retry) == nil)
            let counts = try store.mailOutboxCounts()
            #expect(counts.failed == 1 && counts.queued == 0 && counts.lastError == "451 try later")
            #expect(try store.claimMails(at: now + 86_400, lease: 120, limit: 10).isEmpty)
        }
    }

    @Test("a reset mail carries its sealed token until it is delivered, and expires unsent")
    func resetMail() throws {
        try Self.withAna { store in
            #expect(try store.requestPasswordReset(email: "ANA@example.com", tokenHash: "h1", sealedToken: "sealed-1", at: Self.t0,
                                                   expiresAt: Self.t0 + 1800, ip: nil))
            // Unknown e-mail: nothing; the same user again within the cooldown: nothing.
            #expect(try !store.requestPasswordReset(email: "nobody@example.com", tokenHash: "h2", sealedToken: "s", at: Self.t0,
                                                    expiresAt: Self.t0 + 1800, ip: nil))
            #expect(try !store.requestPasswordReset(email: "ana@example.com", tokenHash: "h3", sealedToken: "s", at: Self.t0 + 10,
                                                    expiresAt: Self.t0 + 1810, ip: nil))
            #expect(try store.userForToken(hash: "h1", purpose: .reset, at: Self.t0 + 1)?.name == "ana")
            #expect(try store.userForToken(hash: "h1", purpose: .invite, at: Self.t0 + 1) == nil)
            let mail = try #require(try store.claimMails(at: Self.t0 + 1, lease: 120, limit: 10).first)
            #expect(mail.kind == .passwordResetRequested && mail.sealedSecret == "sealed-1")
            try store.finishMail(id: mail.id, at: Self.t0 + 2, error: nil, retry: MailRetry())
            #expect(try store.mailOutboxCounts().delivered == 1)

            // A second request after the cooldown replaces the first token; left unsent, it expires.
            #expect(try store.requestPasswordReset(email: "ana@example.com", tokenHash: "h4", sealedToken: "sealed-4", at: Self.t0 + 100,
                                                   expiresAt: Self.t0 + 1900, ip: nil))
            #expect(try store.userForToken(hash: "h1", purpose: .reset, at: Self.t0 + 101) == nil)
            #expect(try store.claimMails(at: Self.t0 + 1900, lease: 120, limit: 10).isEmpty)
            let counts = try store.mailOutboxCounts()
            #expect(counts.failed == 1 && counts.lastError == "expired before it could be delivered")
        }
    }

    @Test("a new device mails, a device seen before does not")
    func newDevice() throws {
        try Self.withAna { store in
            func start(_ id: String, agent: String) throws {
                let pair = TokenPair(accessHash: "a-\(id)", accessExpiresAt: Self.t0 + 900, refreshHash: "r-\(id)",
                                     refreshExpiresAt: Self.t0 + 86_400)
                try store.startSession(SessionStart(id: id, userName: "ana", ip: "10.0.0.2", userAgent: agent, tokens: pair, at: Self.t0),
                                       event: SecurityEvent(at: Self.t0, kind: .loginSucceeded, userName: "ana", email: "ana@example.com",
                                                            sessionID: id, detail: "agent: \(agent)"),
                                       emailKey: "ana@example.com")
            }
            try start("s1", agent: "laptop")
            try start("s2", agent: "laptop")
            try start("s3", agent: "phone")
            let mails = try store.claimMails(at: Self.t0, lease: 120, limit: 10)
            #expect(mails.map(\.kind) == [.newDeviceSignIn, .newDeviceSignIn])
            #expect(mails.compactMap(\.event?.sessionID) == ["s1", "s3"])
        }
    }

    @Test("which events mail their owner")
    func mailRule() {
        let mailing = SecurityEventKind.allCases.filter { SecurityMailKind(event: $0) != nil }
        #expect(Set(mailing) == [.loginSucceeded, .passwordChanged, .passwordReset, .passwordResetRequested, .twoFactorEnabled,
                                 .twoFactorDisabled, .recoveryCodeUsed, .accountLocked])
        #expect(MailRetry(base: 30, cap: 3600, maxAttempts: 30).delay(afterAttempts: 8) == 3600)
        #expect(MailRetry().delay(afterAttempts: Int.min) == 30)
        #expect(MailRetry().delay(afterAttempts: Int.max) == nil)
    }
}
