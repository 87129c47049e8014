import BizOneModel
import Foundation
import BizOneEngine
import BizOneStore
import Logging
import MetaGraph

/// Builds the Graph client for an Integration: secrets resolved at the moment of use, and the
/// base URL overridable for one run with `BIZONE_GRAPH_URL` (the emulator, in demos and tests).
enum GraphConnection {
    struct MissingSecret: Error, CustomStringConvertible {
        var field: String
        var reference: SecretRef
        var description: String { "\(field): secret \(reference) is not set" }
    }

    static func baseURL(for integration: IntegrationSpec) -> String {
        if let override = ProcessInfo.processInfo.environment["BIZONE_GRAPH_URL"], !override.isEmpty {
            return override.hasSuffix("/") ? String(override.dropLast()) : override
        }
        return integration.graph.baseURL
    }

    static func configuration(for integration: IntegrationSpec) throws -> GraphClientConfiguration {
        guard let token = SecretResolver.resolve(integration.accessToken) else {
            throw MissingSecret(field: "spec.accessToken", reference: integration.accessToken)
        }
        return GraphClientConfiguration(
            baseURL: baseURL(for: integration), version: integration.graph.version,
            businessAccountID: integration.businessAccountId, phoneNumberID: integration.phoneNumberId,
            accessToken: token, messagesPerSecond: Double(integration.throughput.messagesPerSecond))
    }

    /// The one integration of the desired state, or the named one.
    static func integration(in desired: DesiredState, named name: String?) throws -> (String, IntegrationSpec) {
        let integrations = IntegrationSet(desired: desired)
        switch integrations.choose(name) {
        case .found(let name, let spec): return (name, spec)
        case .unknown(let name): throw CLIError("no Integration named \(name); declared: \(integrations.names.joined(separator: ", "))")
        case .none: throw CLIError("no Integration is declared")
        case .ambiguous: throw CLIError("several integrations are declared; choose one with --integration")
        }
    }
}

/// A one-line error for the user, printed without a stack of types.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension GraphConnection {
    /// The process's one set of Graph clients: one per integration whose token resolves (the
    /// others listed with the reason, so planning can say why templates were not compared with
    /// Meta), each with its campaign send view and its phone number's pacer.
    static func clients(for integrations: [(String, IntegrationSpec)], logger: Logger) -> MetaClients {
        var live: [String: LiveGraphClient] = [:]
        var unavailable: [String: String] = [:]
        for (name, spec) in integrations {
            do {
                live[name] = LiveGraphClient(configuration: try configuration(for: spec), logger: logger)
            } catch {
                unavailable[name] = "\(error)"
            }
        }
        return MetaClients(live: live, unavailable: unavailable)
    }

    static func integrations(in desired: DesiredState) -> [(String, IntegrationSpec)] {
        IntegrationSet(desired: desired).sorted
    }

    /// Integrations as last applied, for commands that run without configuration files
    /// (`apply PLANFILE`, `sync` with no paths).
    static func integrations(in store: StateStore) throws -> [(String, IntegrationSpec)] {
        try store.appliedIntegrations().sorted
    }
}

extension Engine {
    /// The engine for a command: store, Meta clients, and `BIZONE_TEMPLATE_CREATES_PER_HOUR`
    /// (for emulator runs and benchmarks; Meta's own limit is 100).
    static func forCommand(store: StateStore, meta: MetaClients, logger: Logger) -> Engine {
        var engine = Engine(store: store, meta: meta, logger: logger)
        if let text = ProcessInfo.processInfo.environment["BIZONE_TEMPLATE_CREATES_PER_HOUR"], let limit = Int(text), limit > 0 {
            engine.templateCreatesPerHour = limit
        }
        return engine
    }
}

extension GraphConnection {
    /// Integrations for applying a saved plan: as in the state file, updated by what the plan
    /// itself creates or changes (a first apply creates the integration it then uses).
    static func integrations(for plan: Plan, in store: StateStore) throws -> [(String, IntegrationSpec)] {
        var byName = Dictionary(try integrations(in: store), uniquingKeysWith: { $1 })
        for change in plan.actionableChanges where change.id.kind == .integration {
            if change.action == .delete {
                byName.removeValue(forKey: change.id.name)
            } else if let spec = try? change.after?["spec"]?.decode(IntegrationSpec.self) {
                byName[change.id.name] = spec
            }
        }
        return byName.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
