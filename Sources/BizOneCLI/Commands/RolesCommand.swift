import ArgumentParser
import BizOneModel
import BizOneServer
import BizOneStore
import Foundation
import Logging
import Prometheus

struct RolesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles",
        abstract: "The role matrix as serve enforces it.",
        subcommands: [RolesAuditCommand.self])
}

struct RolesAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print every serve route against every role: allowed or denied.",
        discussion: """
            Roles come from the pipeline paths given, else from the state's applied roles. With no
            Role declared, serve applies a built-in matrix for admin, editor and agent, and this
            says so.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Pipeline files or folders to read the roles from (default: the applied roles in the state).")
    var paths: [String] = []

    func run() throws {
        _ = global.logger("bizone.roles")
        let declared: [String: [String: [String]]]
        var twoFactor: Set<String> = []
        if paths.isEmpty {
            let store = try StateAccess.existingOrEmpty(global)
            let records = try store.roles()
            declared = Dictionary(records.map { ($0.name, $0.permissions) }, uniquingKeysWith: { first, _ in first })
            twoFactor = Set(records.filter(\.requireTwoFactor).map(\.name))
        } else {
            let (desired, _) = try DesiredLoader.load(paths, terminal: global.terminal)
            var roles: [String: [String: [String]]] = [:]
            for resource in desired.resources(of: .role) {
                guard case .role(let spec) = resource.spec else { continue }
                roles[resource.id.name] = spec.permissions
                if spec.requireTwoFactor == true { twoFactor.insert(resource.id.name) }
            }
            declared = roles
        }
        let matrix = RoleMatrix(declared: declared, requiringTwoFactor: twoFactor)
        let roles = matrix.grants.keys.sorted()
        // The routes are serve's own, registered as serve registers them (on a throwaway state).
        let server = BizOneHTTPServer(configuration: ServerConfiguration(endpoints: [
            WebhookEndpoint(path: "/api/webhooks/whatsapp", integration: "-", appSecret: "-", verifyToken: nil),
        ]), store: try StateStore.empty(path: ":memory:"), metrics: ServerMetrics(registry: PrometheusCollectorRegistry()),
            logger: Logger(label: "bizone.roles"))
        var table = TextTable(["route", "requires", "anonymous"] + roles)
        for route in try server.routeDeclarations() {
            let cells = ([nil] + roles.map { Optional($0) }).map { role -> String in
                route.access.admits(role.map { matrix.permissions(of: [$0]) }) ? "allowed" : "denied"
            }
            table.add(["\(route.method) \(route.path)", route.access.description] + cells)
        }
        if matrix.isFallback {
            print("No Role is declared: serve applies its built-in matrix for admin, editor and agent.")
        }
        print(table.render())
        if !matrix.requiringTwoFactor.isEmpty {
            print("Require 2FA (until it is on, their holders reach only the routes that require \"signed in (2FA enrolment)\"): "
                  + matrix.requiringTwoFactor.sorted().joined(separator: ", "))
        }
    }
}
