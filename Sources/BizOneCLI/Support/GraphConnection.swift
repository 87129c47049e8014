import BizOneModel
import Foundation
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
        let all = desired.resources(of: .integration).compactMap { resource -> (String, IntegrationSpec)? in
            if case .integration(let spec) = resource.spec { return (resource.id.name, spec) }
            return nil
        }
        if let name {
            guard let found = all.first(where: { $0.0 == name }) else {
                throw CLIError("no Integration named \(name); declared: \(all.map(\.0).joined(separator: ", "))")
            }
            return found
        }
        guard all.count == 1 else {
            throw CLIError(all.isEmpty ? "no Integration is declared" : "several integrations are declared; choose one with --integration")
        }
        return all[0]
    }
}

/// A one-line error for the user, printed without a stack of types.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
