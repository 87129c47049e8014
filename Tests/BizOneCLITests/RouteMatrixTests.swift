import AsyncHTTPClient
import BizOneConfig
import BizOneModel
import Foundation
import NIOHTTP1
import Testing
import TestSupport

/// The role matrix over real HTTP: every `/api` route serve registers, asked by anonymous, an
/// admin, an editor and an agent of `pipelines/`, answers as `Fixtures/route-access.txt` and the
/// declared roles say. The expectation is that file, never serve's own declarations, so
/// removing or loosening one guard in the code makes this fail.
@Suite("route x role")
struct RouteMatrixTests {
    typealias S = SignInTests

    struct Expected {
        var method: String
        var path: String
        var requirement: String
    }

    static func expectedRoutes() throws -> [Expected] {
        let text = try String(contentsOf: Workspace.packageRoot.appendingPathComponent("Tests/BizOneCLITests/Fixtures/route-access.txt"),
                              encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { line in
            let parts = line.split(separator: " ").map(String.init)
            return Expected(method: parts[0], path: parts[1], requirement: parts.count > 2 ? parts[2] : "?")
        }
    }

    /// Whether serve's guard let the request through (the handler may still refuse it).
    static func admitted(_ answer: HTTPAnswer) -> Bool {
        let error = (try? answer.value())?["error"]?.stringValue
        if answer.status == 401 && error == "unauthenticated" { return false }
        if answer.status == 403 && (error == "forbidden" || error == "two_factor_enrolment_required") { return false }
        return true
    }

    @Test(.timeLimit(.minutes(10)))
    func everyApiRouteAnswersEachRoleAsThePipelinesMatrixSays() async throws {
        let (workspace, serve) = try await S.signedInWorld()
        defer { serve.stop() }
        let people = ["admin": "ana.wijaya@bizone.example", "editor": "citra.lestari@bizone.example", "agent": "eka.rahmawati@bizone.example"]
        var access: [String: String] = [:]
        for (role, email) in people {
            let token = try await S.invite(email, in: workspace)
            #expect(try await S.setPassword(serve, token: token, password: S.password).status == 200)
            access[role] = try await S.login(serve, email).string("accessToken")
        }

        // The declared roles, read the way apply reads them.
        let loaded = PipelineLoader().load(paths: [workspace.path("p/roles.yaml")])
        var declared: [String: [String: [String]]] = [:]
        for resource in try #require(loaded.desired).resources(of: .role) {
            if case .role(let spec) = resource.spec { declared[resource.id.name] = spec.permissions }
        }
        let matrix = RoleMatrix(declared: declared)
        #expect(!matrix.isFallback && declared.keys.sorted() == ["admin", "agent", "editor"])

        // The file lists exactly the /api routes serve registers.
        let expected = try Self.expectedRoutes()
        let audit = try await workspace.run(["roles", "audit", "p"])
        let registered = Set(audit.stdout.split(separator: "\n").map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
            .filter { $0.contains(" /api") })
        #expect(Set(expected.map { "\($0.method) \($0.path)" }) == registered, "update Fixtures/route-access.txt")

        var checked = 0
        for route in expected {
            let path = route.path.replacingOccurrences(of: "{id}", with: route.path.hasPrefix("/api/me") ? "ses_unknown" : "999999")
                .replacingOccurrences(of: "{name}", with: "no-such-campaign").replacingOccurrences(of: "{phone}", with: "%2B6299999999999")
            let method = HTTPMethod(rawValue: route.method)
            for role in [nil, "admin", "editor", "agent"] as [String?] {
                var bearer = role.flatMap { access[$0] }
                if route.path == "/api/auth/logout", let role, let email = people[role] {
                    // Logging out ends the session: a fresh one, so the others keep theirs.
                    bearer = try await S.login(serve, email, agent: "logout-\(role)").string("accessToken")
                }
                // The event stream stays open: its first chunk (or the refusal) is the answer.
                let answer = route.path == "/api/stream" ? try await Self.firstChunk(serve, path, bearer: bearer)
                    : try await HTTPAnswer.send(serve, method, path, json: method == .GET ? nil : [:], bearer: bearer)
                let want: Bool
                switch route.requirement {
                case "open": want = true
                case "signed-in", "enrolment": want = role != nil
                default:
                    let parts = route.requirement.split(separator: ":").map(String.init)
                    try #require(parts.count == 2, "requirement \(route.requirement)")
                    want = role.map { matrix.allows([$0], Permission(parts[0], parts[1])) } ?? false
                }
                #expect(Self.admitted(answer) == want,
                        "\(route.method) \(route.path) as \(role ?? "anonymous"): \(answer.status) \(answer.text)")
                if !want && role != nil {
                    #expect(answer.text.contains(route.requirement), "a denial names the missing permission: \(answer.text)")
                }
                checked += 1
            }
        }
        #expect(checked == expected.count * 4)
    }

    static func firstChunk(_ serve: ServeProcess, _ path: String, bearer: String?) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: serve.baseURL + path)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        let response = try await webhookClient.execute(request, timeout: .seconds(60))
        var text = ""
        for try await buffer in response.body {
            text += String(buffer: buffer)
            break
        }
        return HTTPAnswer(status: Int(response.status.code), text: text)
    }
}
