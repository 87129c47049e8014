import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// The only way routes are added to serve's router: each with the `Access` it requires.
///
/// A handler runs only after the guard admitted its caller, and gets the signed-in
/// `Principal` (nil on an open route without credentials). `verify` refuses a router holding
/// an `/api` route that was added around the guard, so the server does not start with one.
struct GuardedRouter {
    typealias Handler = @Sendable (Request, ServerContext, Principal?) async throws -> Response

    let router: Router<ServerContext>
    let guardian: Guardian
    private(set) var declarations: [RouteDeclaration] = []

    init(router: Router<ServerContext>, guardian: Guardian) {
        self.router = router
        self.guardian = guardian
    }

    mutating func on(_ method: HTTPRequest.Method, _ path: String, _ access: Access, _ handler: @escaping Handler) {
        declarations.append(RouteDeclaration(method: method.rawValue, path: RouterPath(path).description, access: access))
        let guardian = self.guardian
        router.on(RouterPath(path), method: method) { request, context in
            let principal = try await guardian.admit(request, context: context, access: access)
            return try await handler(request, context, principal)
        }
    }

    mutating func get(_ path: String, _ access: Access, _ handler: @escaping Handler) { on(.get, path, access, handler) }
    mutating func post(_ path: String, _ access: Access, _ handler: @escaping Handler) { on(.post, path, access, handler) }
    mutating func delete(_ path: String, _ access: Access, _ handler: @escaping Handler) { on(.delete, path, access, handler) }

    /// Throws when a route under `/api` has no declaration.
    func verify() throws {
        let declared = Set(declarations.map { "\($0.method) \($0.path)" })
        let undeclared = router.routes.map { "\($0.method.rawValue) \($0.path.description)" }
            .filter { $0.split(separator: " ").last?.hasPrefix("/api") == true && !declared.contains($0) }
        if !undeclared.isEmpty { throw UndeclaredRoutes(routes: undeclared.sorted()) }
    }
}

/// Routes under `/api` registered without an `Access`: the server refuses to start.
public struct UndeclaredRoutes: Error, CustomStringConvertible {
    public var routes: [String]
    public var description: String {
        "these /api routes declare no access (add them through GuardedRouter): \(routes.joined(separator: ", "))"
    }
}
