import AsyncHTTPClient
import BizOneModel
import Crypto
import BizOneStore
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport

/// Sign-in against the real `bizone serve` and a real state file (issue 11): invite, password,
/// device sessions, refresh rotation and reuse, logout, revoking one device, the role guard.
@Suite("sign-in")
struct SignInTests {
    static let environment = ["META_ACCESS_TOKEN": "x-access", "META_APP_SECRET": "x-app-secret", "META_VERIFY_TOKEN": "x-verify",
                              "BIZONE_GRAPH_URL": "http://127.0.0.1:9", "BIZONE_SECRET_KEY": "test-secret-key-for-sealing"]
    static let password = "correct horse battery staple"

    /// Roles, users and the integration applied (no Meta call needed for these kinds), then serve.
    /// With `mailer` (a Mailer's YAML) applied too, serve delivers security e-mails through it.
    static func signedInWorld(mailer: String? = nil, serveArguments: [String] = [],
                              environment extra: [String: String] = [:]) async throws -> (Workspace, ServeProcess) {
        let workspace = try Workspace()
        try FileManager.default.createDirectory(atPath: workspace.path("p"), withIntermediateDirectories: true)
        for file in ["roles.yaml", "users.yaml", "integration.yaml"] {
            try FileManager.default.copyItem(atPath: Workspace.packageRoot.appendingPathComponent("pipelines/\(file)").path,
                                             toPath: workspace.path("p/\(file)"))
        }
        if let mailer { try mailer.write(toFile: workspace.path("p/mailer.yaml"), atomically: true, encoding: .utf8) }
        let environment = Self.environment.merging(extra) { $1 }
        let applied = try await workspace.run(["apply", "p", "--auto-approve"], environment: environment)
        #expect(applied.status == 0, "\(applied.output)")
        let serve = try await ServeProcess(workspace: workspace, arguments: ["p"] + serveArguments, environment: environment)
        return (workspace, serve)
    }

    /// `bizone user invite` and the password it lets the person set.
    static func invite(_ email: String, in workspace: Workspace) async throws -> String {
        let invited = try await workspace.run(["user", "invite", email])
        #expect(invited.status == 0, "\(invited.output)")
        let line = try #require(invited.stdout.split(separator: "\n").first { $0.contains("token:") })
        return String(try #require(line.split(separator: " ").last))
    }

    static func setPassword(_ serve: ServeProcess, token: String, password: String) async throws -> HTTPAnswer {
        try await HTTPAnswer.send(serve, .POST, "/api/auth/password/set", json: ["token": token, "password": password])
    }

    static func login(_ serve: ServeProcess, _ email: String, password: String = password, agent: String = "test") async throws -> HTTPAnswer {
        try await HTTPAnswer.send(serve, .POST, "/api/auth/login", json: ["email": email, "password": password], agent: agent)
    }

    @Test(.timeLimit(.minutes(5)))
    func inviteSessionsRefreshReuseLogoutAndRevoke() async throws {
        let (workspace, serve) = try await Self.signedInWorld()
        defer { serve.stop() }
        let email = "ana.wijaya@bizone.example"
        let token = try await Self.invite(email, in: workspace)

        // The password rules, then the password; the invitation is spent.
        #expect(try await Self.setPassword(serve, token: token, password: "short").status == 422)
        #expect(try await Self.setPassword(serve, token: token, password: "ana.wijaya-2026-secret").status == 422)
        let missing = try await HTTPAnswer.send(serve, .POST, "/api/auth/password/set", json: ["token": token])
        #expect(missing.status == 400 && missing.text.contains("password: missing"), "\(missing.text)")
        #expect(try await Self.setPassword(serve, token: token, password: Self.password).status == 200)
        #expect(try await Self.setPassword(serve, token: token, password: "another long passphrase").status == 401)

        // Wrong password and unknown e-mail answer alike.
        let wrong = try await Self.login(serve, email, password: "not the password at all")
        let unknown = try await Self.login(serve, "nobody@bizone.example", password: "not the password at all")
        #expect(wrong.status == 401 && unknown.status == 401)
        #expect(wrong.text == unknown.text)

        // Two devices.
        let laptop = try await Self.login(serve, email, agent: "laptop")
        let phone = try await Self.login(serve, email, agent: "phone")
        #expect(laptop.status == 200 && phone.status == 200)
        let laptopAccess = try laptop.string("accessToken"), laptopRefresh = try laptop.string("refreshToken")
        let phoneAccess = try phone.string("accessToken")
        let me = try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: laptopAccess)
        let meEmail = try me.string("email")
        #expect(me.status == 200 && meEmail == email)
        let sessions = try await HTTPAnswer.send(serve, .GET, "/api/me/sessions", bearer: laptopAccess)
        let listed = try sessions.array("sessions")
        #expect(listed.count == 2)
        #expect(listed.filter { $0["current"] == .bool(true) }.map { $0["userAgent"] } == [.string("laptop")])

        // Refresh rotates: the old access token and the old refresh token stop working.
        let rotated = try await HTTPAnswer.send(serve, .POST, "/api/auth/refresh", json: ["refreshToken": laptopRefresh])
        #expect(rotated.status == 200)
        let newAccess = try rotated.string("accessToken")
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: laptopAccess).status == 401)
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: newAccess).status == 200)
        // Presenting the rotated refresh token again ends that session: its new tokens die too.
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/auth/refresh", json: ["refreshToken": laptopRefresh]).status == 401)
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: newAccess).status == 401)
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/auth/refresh", json: ["refreshToken": try rotated.string("refreshToken")]).status == 401)
        // The other device is untouched.
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: phoneAccess).status == 200)

        // Revoking one device from another leaves the revoking one signed in.
        let tablet = try await Self.login(serve, email, agent: "tablet")
        let tabletAccess = try tablet.string("accessToken")
        let revoke = try await HTTPAnswer.send(serve, .DELETE, "/api/me/sessions/\(try phone.string("sessionId"))", bearer: tabletAccess)
        #expect(revoke.status == 204)
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: phoneAccess).status == 401)
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: tabletAccess).status == 200)

        // Logout ends the access token at once, not at its expiry.
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/auth/logout", bearer: tabletAccess).status == 204)
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: tabletAccess).status == 401)

        // What happened is in the security events.
        let store = try StateStore(path: workspace.statePath)
        let kinds = try store.securityEvents().map(\.kind)
        for kind in [SecurityEventKind.inviteIssued, .passwordSet, .loginFailed, .loginSucceeded, .refreshTokenReused, .sessionRevoked, .loggedOut] {
            #expect(kinds.contains(kind), "\(kind)")
        }

        // No password or token reached serve's output or the state file in clear.
        let state = try Data(contentsOf: URL(fileURLWithPath: workspace.statePath))
            + ((try? Data(contentsOf: URL(fileURLWithPath: workspace.statePath + "-wal"))) ?? Data())
        let secrets = [Self.password, token, laptopAccess, laptopRefresh, phoneAccess, newAccess, tabletAccess]
        for secret in secrets {
            #expect(!serve.stdout.text.contains(secret) && !serve.stderr.text.contains(secret))
            #expect(state.range(of: Data(secret.utf8)) == nil, "a secret is in the state file in clear")
        }
    }

    /// 11 wrong passwords in a row: 401 ten times, then 429 with Retry-After and a lockout
    /// event; even the right password waits. An unknown e-mail gets exactly the same answers.
    @Test(.timeLimit(.minutes(5)))
    func elevenWrongPasswordsLockTheAccountAndUnknownEmailsGetTheSameAnswers() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        let (workspace, serve) = try await Self.signedInWorld(mailer: SMTPSink.mailerYAML(port: sink.port))
        defer { serve.stop() }
        let email = "citra.lestari@bizone.example"
        let token = try await Self.invite(email, in: workspace)
        #expect(try await Self.setPassword(serve, token: token, password: Self.password).status == 200)
        var answers: [String: [Int]] = [:]
        var last: [String: HTTPAnswer] = [:]
        for address in [email, "nobody.here@bizone.example"] {
            for attempt in 1...11 {
                let answer = try await Self.login(serve, address, password: "wrong password number \(attempt)")
                answers[address, default: []].append(answer.status)
                last[address] = answer
            }
        }
        #expect(answers[email] == Array(repeating: 401, count: 10) + [429])
        #expect(answers[email] == answers["nobody.here@bizone.example"])
        let limited = try #require(last[email])
        let retryAfter = try #require(limited.headers["retry-after"].flatMap { Int($0) })
        #expect(retryAfter > 0 && retryAfter <= 15 * 60 + 1)
        #expect(try limited.string("error") == last["nobody.here@bizone.example"]?.string("error"))
        #expect(try await Self.login(serve, email).status == 429)

        let store = try StateStore(path: workspace.statePath)
        let locked = try store.securityEvents().filter { $0.kind == .accountLocked }
        #expect(locked.map(\.email) == [email, "nobody.here@bizone.example"])
        #expect(locked.first?.userName == "citra-editor")

        // The owner of the account is told, over SMTP; the e-mail nobody has gets nothing (its
        // lockout queued no mail: the one mail of this test is the delivered one).
        let mail = try await sink.message(to: email, subject: "Your BizOne account is locked for now")
        #expect(mail.contains("From: \"BizOne Security\" <security@bizone.example>"), "\(mail)")
        #expect(mail.contains("10 failed sign-ins in a row"), "\(mail)")
        // The sink writes the file before it answers, so serve marks the mail a moment later.
        try await eventually("the lockout mail marked delivered") { try store.mailOutboxCounts().delivered == 1 }
        let counts = try store.mailOutboxCounts()
        #expect(counts.queued == 0 && counts.failed == 0, "\(counts)")

        // The limit holds across a restart (it lives in the state file).
        #expect(await serve.stopped() == 0)
        let again = try await ServeProcess(workspace: workspace, arguments: ["p"], environment: Self.environment)
        defer { again.stop() }
        #expect(try await HTTPAnswer.send(again, .POST, "/api/auth/login", json: ["email": email, "password": Self.password]).status == 429)
    }

    /// `spec.disabled: true` applied: the user's sessions end in the apply's transaction, and the
    /// change is a security event naming the run; `bizone audit` and `bizone roles audit` show it.
    @Test(.timeLimit(.minutes(5)))
    func disablingAUserAtApplyEndsTheirSessions() async throws {
        let (workspace, serve) = try await Self.signedInWorld()
        defer { serve.stop() }
        let email = "eka.rahmawati@bizone.example"
        let token = try await Self.invite(email, in: workspace)
        #expect(try await Self.setPassword(serve, token: token, password: Self.password).status == 200)
        let access = try await Self.login(serve, email).string("accessToken")
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: access).status == 200)

        try workspace.edit("p/users.yaml", replacing: "  teams: [support]\n", with: "  teams: [support]\n  disabled: true\n")
        let applied = try await workspace.run(["apply", "p", "--auto-approve"], environment: Self.environment)
        #expect(applied.status == 0, "\(applied.output)")
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: access).status == 401)
        #expect(try await Self.login(serve, email).status == 401)

        let audit = try await workspace.run(["audit", "--user", email])
        #expect(audit.status == 0)
        #expect(audit.stdout.contains("user_changed") && audit.stdout.contains("user disabled by apply, 1 sessions ended"), "\(audit.stdout)")
        #expect(audit.stdout.contains("actor cli-test"), "\(audit.stdout)")
        let json = try await workspace.run(["audit", "--json", "--since", "1h"])
        #expect(json.status == 0 && json.stdout.contains(#""kind" : "login_succeeded""#))

        let matrix = try await workspace.run(["roles", "audit", "p"])
        #expect(matrix.status == 0)
        let row = try #require(matrix.stdout.split(separator: "\n").first { $0.hasPrefix("GET /api/security-events") })
        #expect(row.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                == ["GET", "/api/security-events", "settings:read", "denied", "allowed", "denied", "denied"], "\(matrix.stdout)")
        #expect(!matrix.stdout.contains("built-in matrix"))
    }

    /// RFC 6238 computed here, independently of the server's library: 6 digits, 30 s, SHA-1,
    /// keyed with the secret's UTF-8 bytes (what the otpauth URI's base32 carries).
    static func totp(_ secret: String, step: Int64) -> String {
        var counter = UInt64(step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8))))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let code = String(value % 1_000_000)
        return String(repeating: "0", count: 6 - code.count) + code
    }

    static var currentStep: Int64 { Int64(Date().timeIntervalSince1970 / 30) }

    @Test(.timeLimit(.minutes(5)))
    func totpEnrolmentLoginWithACodeAndWithRecoveryCodesOnce() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        let (workspace, serve) = try await Self.signedInWorld(mailer: SMTPSink.mailerYAML(port: sink.port))
        defer { serve.stop() }
        let email = "bagus.pratama@bizone.example"
        let token = try await Self.invite(email, in: workspace)
        #expect(try await Self.setPassword(serve, token: token, password: Self.password).status == 200)
        let access = try await Self.login(serve, email).string("accessToken")

        let enrol = try await HTTPAnswer.send(serve, .POST, "/api/me/2fa", bearer: access)
        #expect(enrol.status == 200)
        let secret = try enrol.string("secret")
        #expect(try enrol.string("otpauthUri").hasPrefix("otpauth://totp/BizOne:bagus.pratama@bizone.example?secret="))
        #expect(try await HTTPAnswer.send(serve, .POST, "/api/me/2fa/confirm", json: ["code": "000000"], bearer: access).status == 401)
        let step = Self.currentStep
        let confirmed = try await HTTPAnswer.send(serve, .POST, "/api/me/2fa/confirm", json: ["code": Self.totp(secret, step: step)], bearer: access)
        #expect(confirmed.status == 200, "\(confirmed.text)")
        let recovery = try confirmed.array("recoveryCodes").compactMap(\.stringValue)
        #expect(recovery.count == 10 && Set(recovery).count == 10)

        // The password alone no longer signs in; the code that confirmed enrolment is spent.
        let passwordOnly = try await Self.login(serve, email)
        let passwordOnlyError = try passwordOnly.string("error")
        #expect(passwordOnly.status == 401 && passwordOnlyError == "two_factor_required")
        let replay = try await HTTPAnswer.send(serve, .POST, "/api/auth/login",
                                               json: ["email": email, "password": Self.password, "code": Self.totp(secret, step: step)])
        #expect(replay.status == 401)
        // The next step's code is good (one step of drift is allowed either way).
        let withCode = try await HTTPAnswer.send(serve, .POST, "/api/auth/login",
                                                 json: ["email": email, "password": Self.password, "code": Self.totp(secret, step: step + 1)])
        #expect(withCode.status == 200, "\(withCode.text)")

        // A recovery code works once.
        let first = try await HTTPAnswer.send(serve, .POST, "/api/auth/login", json: ["email": email, "password": Self.password, "code": recovery[0]])
        #expect(first.status == 200)
        let again = try await HTTPAnswer.send(serve, .POST, "/api/auth/login", json: ["email": email, "password": Self.password, "code": recovery[0]])
        let againError = try again.string("error")
        #expect(again.status == 401 && againError == "invalid_code")

        // Off needs the password and a code; then the password alone signs in again.
        let session = try first.string("accessToken")
        #expect(try await HTTPAnswer.send(serve, .DELETE, "/api/me/2fa", json: ["password": "wrong wrong wrong", "code": recovery[1]],
                                          bearer: session).status == 401)
        #expect(try await HTTPAnswer.send(serve, .DELETE, "/api/me/2fa", json: ["password": Self.password, "code": recovery[1]],
                                          bearer: session).status == 204)
        #expect(try await Self.login(serve, email).status == 200)

        let store = try StateStore(path: workspace.statePath)
        let kinds = try store.securityEvents().map(\.kind)
        #expect(kinds.contains(.twoFactorEnabled) && kinds.contains(.recoveryCodeUsed) && kinds.contains(.twoFactorDisabled))
        // Each change is an e-mail to the account's owner.
        for subject in ["Two-factor sign-in is on", "A recovery code was used to sign in", "Two-factor sign-in is off"] {
            let mail = try await sink.message(to: email, subject: subject)
            #expect(!recovery.contains { mail.contains($0) } && !mail.contains(secret))
        }
        let state = try Data(contentsOf: URL(fileURLWithPath: workspace.statePath))
            + ((try? Data(contentsOf: URL(fileURLWithPath: workspace.statePath + "-wal"))) ?? Data())
        for value in [secret] + recovery {
            #expect(state.range(of: Data(value.utf8)) == nil, "a 2FA secret or recovery code is in the state file in clear")
            #expect(!serve.stdout.text.contains(value) && !serve.stderr.text.contains(value))
        }
    }

    /// A Role with `requireTwoFactor: true`: its holders reach only enrolment until 2FA is on.
    @Test(.timeLimit(.minutes(5)))
    func aRoleThatRequiresTwoFactorAdmitsOnlyEnrolmentUntilItIsOn() async throws {
        let (workspace, serve) = try await Self.signedInWorld()
        defer { serve.stop() }
        try workspace.edit("p/roles.yaml", replacing: "  description: Full access to everything, including users, roles, webhooks and settings.\n",
                           with: "  description: Full access to everything, including users, roles, webhooks and settings.\n  requireTwoFactor: true\n")
        let applied = try await workspace.run(["apply", "p", "--auto-approve"], environment: Self.environment)
        #expect(applied.status == 0, "\(applied.output)")
        for source in [["p"], []] {
            let audit = try await workspace.run(["roles", "audit"] + source)
            #expect(audit.stdout.contains("): admin\n"), "\(audit.stdout)")
        }
        let email = "ana.wijaya@bizone.example"
        let token = try await Self.invite(email, in: workspace)
        #expect(try await Self.setPassword(serve, token: token, password: Self.password).status == 200)
        let access = try await Self.login(serve, email).string("accessToken")

        let blocked = try await HTTPAnswer.send(serve, .GET, "/api/security-events", bearer: access)
        #expect(blocked.status == 403 && blocked.text.contains("two_factor_enrolment_required"), "\(blocked.text)")
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me/sessions", bearer: access).status == 403)
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me", bearer: access).status == 200)
        let secret = try await HTTPAnswer.send(serve, .POST, "/api/me/2fa", bearer: access).string("secret")
        let confirmed = try await HTTPAnswer.send(serve, .POST, "/api/me/2fa/confirm", json: ["code": Self.totp(secret, step: Self.currentStep)],
                                                  bearer: access)
        #expect(confirmed.status == 200)
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/security-events", bearer: access).status == 200)
        // An agent's role does not require it.
        let agentToken = try await Self.invite("eka.rahmawati@bizone.example", in: workspace)
        #expect(try await Self.setPassword(serve, token: agentToken, password: Self.password).status == 200)
        let agent = try await Self.login(serve, "eka.rahmawati@bizone.example").string("accessToken")
        #expect(try await HTTPAnswer.send(serve, .GET, "/api/me/sessions", bearer: agent).status == 200)
    }

    @Test(.timeLimit(.minutes(5)))
    func theRoleMatrixGuardsTheAuditTrail() async throws {
        let (workspace, serve) = try await Self.signedInWorld()
        defer { serve.stop() }
        var access: [String: String] = [:]
        for email in ["ana.wijaya@bizone.example", "eka.rahmawati@bizone.example"] {
            let token = try await Self.invite(email, in: workspace)
            #expect(try await Self.setPassword(serve, token: token, password: Self.password).status == 200)
            access[email] = try await Self.login(serve, email).string("accessToken")
        }
        let admin = try #require(access["ana.wijaya@bizone.example"]), agent = try #require(access["eka.rahmawati@bizone.example"])

        #expect(try await HTTPAnswer.send(serve, .GET, "/api/security-events").status == 401)
        let denied = try await HTTPAnswer.send(serve, .GET, "/api/security-events", bearer: agent)
        #expect(denied.status == 403 && denied.text.contains("settings:read"), "\(denied.text)")
        let events = try await HTTPAnswer.send(serve, .GET, "/api/security-events", bearer: admin)
        #expect(events.status == 200)
        let kinds = try events.array("events").compactMap { $0["kind"]?.stringValue }
        #expect(kinds.contains("permission_denied"))

        // The agent's resolved permissions are the declared matrix, not the fallback.
        let permissions = try await HTTPAnswer.send(serve, .GET, "/api/me/permissions", bearer: agent)
        #expect(permissions.text.contains(#""fallbackMatrix":false"#))
        #expect(permissions.text.contains(#""conversations":["assign","notes","read","reply"]"#), "\(permissions.text)")
    }
}

/// One HTTP exchange with serve, its JSON body parsed.
struct HTTPAnswer {
    var status: Int
    var text: String
    var headers: [String: String] = [:]

    static func send(_ serve: ServeProcess, _ method: HTTPMethod, _ path: String, json: [String: String]? = nil,
                     bearer: String? = nil, agent: String = "test") async throws -> HTTPAnswer {
        try await send(serve, method, path, object: json, bearer: bearer, agent: agent)
    }

    /// With any JSON body (nested objects, arrays).
    static func send(_ serve: ServeProcess, _ method: HTTPMethod, _ path: String, object json: Any?,
                     bearer: String? = nil, agent: String = "test") async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: serve.baseURL + path)
        request.method = method
        request.headers.add(name: "User-Agent", value: agent)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await webhookClient.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for (name, value) in response.headers { headers[name.lowercased()] = value }
        return HTTPAnswer(status: Int(response.status.code), text: String(buffer: body), headers: headers)
    }

    func value() throws -> JSONValue { try JSONValue.parse(text) }

    func string(_ key: String) throws -> String {
        try #require(try value()[key]?.stringValue, "\(key) in \(text)")
    }

    func array(_ key: String) throws -> [JSONValue] {
        guard case .array(let items)? = try value()[key] else { throw AnswerShape(text: text) }
        return items
    }

    struct AnswerShape: Error { var text: String }
}
