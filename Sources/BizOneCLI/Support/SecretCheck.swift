import BizOneModel
import Foundation

/// Resolves secret references to confirm they are usable, without ever keeping or printing a
/// value: a missing secret is a warning here (it matters when `serve` or Meta needs it).
enum SecretCheck {
    static func check(_ desired: DesiredState?) -> [Diagnostic] {
        guard let desired else { return [] }
        var diagnostics: [Diagnostic] = []
        for resource in desired.resources {
            for (field, ref) in references(in: resource.spec) where !SecretResolver.isResolvable(ref) {
                diagnostics.append(.warning("\(resource.id) \(field): secret \(ref) is not available here", at: resource.location,
                                            hint: "it is needed when BizOne talks to Meta or serves webhooks; set it before bizone serve"))
            }
        }
        return diagnostics
    }

    static func references(in spec: ResourceSpec) -> [(String, SecretRef)] {
        switch spec {
        case .integration(let integration): return integration.secretRefs
        case .webhookRoute(let route):
            return route.actions.enumerated().compactMap { offset, action in action.secret.map { ("spec.actions[\(offset)].secret", $0) } }
        default: return []
        }
    }
}

/// Reads a secret's value at the moment of use. The value is returned to the caller only and
/// never logged, stored or put into an error message.
enum SecretResolver {
    static func resolve(_ ref: SecretRef) -> String? {
        switch ref {
        case .env(let name):
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return nil }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
    }

    static func isResolvable(_ ref: SecretRef) -> Bool { resolve(ref) != nil }
}
