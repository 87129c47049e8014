import BizOneModel
import BizOneStore
@testable import BizOneServer
import Foundation
import Hummingbird
import Logging
import Prometheus
import Testing
import TestSupport

/// Every `/api` route declares the access it requires; the role matrix decides the rest.
@Suite struct RouteGuardTests {
    static func server(_ directory: TemporaryDirectory) throws -> BizOneHTTPServer {
        let store = try StateStore(path: directory.url.appendingPathComponent("state.db").path)
        return BizOneHTTPServer(configuration: ServerConfiguration(
            endpoints: [WebhookEndpoint(path: "/api/webhooks/whatsapp", integration: "main", appSecret: "s", verifyToken: "v")]),
            store: store, metrics: ServerMetrics(registry: PrometheusCollectorRegistry()), logger: Logger(label: "test"))
    }

    @Test func everyApiRouteOfServeDeclaresItsAccess() throws {
        let directory = try TemporaryDirectory(prefix: "route-guard")
        defer { directory.remove() }
        let server = try Self.server(directory)
        let router = try server.makeRouter()
        let declared = Set(try server.routeDeclarations().map { "\($0.method) \($0.path)" })
        let apiRoutes = router.routes.map { "\($0.method.rawValue) \($0.path.description)" }.filter { $0.contains(" /api") }
        #expect(apiRoutes.count >= 10)
        for route in apiRoutes { #expect(declared.contains(route), "\(route)") }
        // Sign-in itself is open; the person's own side needs a session; the audit trail a permission.
        let access = Dictionary(try server.routeDeclarations().map { ("\($0.method) \($0.path)", $0.access) }, uniquingKeysWith: { a, _ in a })
        #expect(access["POST /api/auth/login"].map { if case .open = $0 { true } else { false } } == true)
        #expect(access["GET /api/me/sessions"] == .signedIn)
        #expect(access["GET /api/security-events"] == .permission(Permission("settings", "read")))
    }

    @Test func aRouteWithoutAnOpenAPIDescriptionStopsTheServer() throws {
        let declared = [RouteDeclaration(method: "GET", path: "/api/me", access: .enrolment),
                        RouteDeclaration(method: "GET", path: "/api/undescribed", access: .signedIn)]
        #expect(throws: OpenAPIDocument.Undocumented.self) { try OpenAPIDocument.render(declarations: declared, webhookPaths: []) }
        let document = try JSONValue.parse(try OpenAPIDocument.render(declarations: Array(declared.prefix(1)), webhookPaths: []))
        #expect(document["paths"]?["/api/me"]?["get"]?["responses"]?["401"] != nil)
        #expect(document["paths"]?["/api/me"]?["get"]?["responses"]?["403"] == nil, "enrolment routes do not answer 403")
    }

    @Test func anApiRouteAddedAroundTheGuardStopsTheServer() throws {
        let directory = try TemporaryDirectory(prefix: "route-guard")
        defer { directory.remove() }
        let store = try StateStore(path: directory.url.appendingPathComponent("state.db").path)
        var routes = GuardedRouter(router: Router(context: ServerContext.self), guardian: Guardian(store: store, now: Date.init))
        routes.get("/api/declared", .signedIn) { _, _, _ in Response(status: .ok) }
        try routes.verify()
        routes.router.get("/api/sneaky") { _, _ in Response(status: .ok) }
        routes.router.get("/elsewhere") { _, _ in Response(status: .ok) }
        #expect(throws: UndeclaredRoutes.self) { try routes.verify() }
        do {
            try routes.verify()
        } catch let error as UndeclaredRoutes {
            #expect(error.routes == ["GET /api/sneaky"])
        }
    }

    /// Anonymous, agent, editor and admin against every declared route, by the matrix of the
    /// example `pipelines/roles.yaml` and by the built-in fallback.
    @Test func theMatrixAdmitsEachRoleAsDeclared() throws {
        let directory = try TemporaryDirectory(prefix: "route-guard")
        defer { directory.remove() }
        let declarations = try Self.server(directory).routeDeclarations()
        let declared = RoleMatrix(declared: [
            "admin": Dictionary(uniqueKeysWithValues: RoleSpec.areas.map { ($0.area, ["*"]) }),
            "agent": ["conversations": ["read", "reply", "assign", "notes"], "contacts": ["read"], "templates": ["read"]],
            "editor": ["templates": ["*"], "conversations": ["read"]],
        ])
        for matrix in [declared, RoleMatrix.builtIn] {
            for route in declarations {
                let roles: [String?] = [nil, "agent", "editor", "admin"]
                for role in roles {
                    let granted = role.map { matrix.permissions(of: [$0]) }
                    let expected: Bool
                    switch route.access {
                    case .open: expected = true
                    case .signedIn, .enrolment: expected = role != nil
                    case .permission(let permission): expected = role.map { matrix.allows([$0], permission) } ?? false
                    }
                    #expect(route.access.admits(granted) == expected, "\(route.method) \(route.path) as \(role ?? "anonymous")")
                }
            }
            let audit = try #require(declarations.first { $0.path == "/api/security-events" })
            #expect(audit.access.admits(matrix.permissions(of: ["admin"])))
            #expect(!audit.access.admits(matrix.permissions(of: ["agent"])))
            #expect(!audit.access.admits(nil))
        }
        #expect(RoleMatrix(declared: [:]).isFallback)
    }

    @Test func passwordRules() {
        let policy = PasswordPolicy()
        #expect(policy.problem(with: "short", email: "ana@x.example", displayName: "Ana W") != nil)
        #expect(policy.problem(with: "my name is wijaya ok", email: "ana@x.example", displayName: "Ana Wijaya") != nil)
        #expect(policy.problem(with: "aaaaaaaaaaaaaaaaa", email: "ana@x.example", displayName: "Ana Wijaya") != nil)
        #expect(policy.problem(with: String(repeating: "é", count: 40), email: "z@x.example", displayName: "Z Q") != nil)
        #expect(policy.problem(with: "correct horse battery staple", email: "ana@x.example", displayName: "Ana Wijaya") == nil)
    }
}
