import BizOneEngine
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
        case .mailer(let mailer): return mailer.secretRefs
        case .webhookRoute(let route):
            return route.actions.enumerated().compactMap { offset, action in action.secret.map { ("spec.actions[\(offset)].secret", $0) } }
        default: return []
        }
    }
}
