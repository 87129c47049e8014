/// The integrations a pipeline or a state declares, and the one rule for choosing among them:
/// a resource names its integration, or there is exactly one. The loader turns a failed choice
/// into a diagnostic, the CLI into an error line, the engine into a reason a run does not start.
public struct IntegrationSet: Sendable, Hashable {
    public var byName: [String: IntegrationSpec]

    public init(_ byName: [String: IntegrationSpec] = [:]) {
        self.byName = byName
    }

    public init(desired: DesiredState) {
        var byName: [String: IntegrationSpec] = [:]
        for resource in desired.resources(of: .integration) {
            if case .integration(let spec) = resource.spec { byName[resource.id.name] = spec }
        }
        self.init(byName)
    }

    public enum Choice: Sendable, Hashable {
        case found(name: String, spec: IntegrationSpec)
        /// The name given is not declared.
        case unknown(String)
        /// None is declared (and none was named).
        case none
        /// Several are declared and none was named.
        case ambiguous
    }

    /// The integration `name`, or the only one when `name` is nil.
    public func choose(_ name: String?) -> Choice {
        if let name {
            guard let spec = byName[name] else { return .unknown(name) }
            return .found(name: name, spec: spec)
        }
        switch byName.count {
        case 0: return .none
        case 1: return byName.first.map { .found(name: $0.key, spec: $0.value) } ?? .none
        default: return .ambiguous
        }
    }

    /// The chosen integration, or nil when the choice fails.
    public func chosen(_ name: String?) -> (name: String, spec: IntegrationSpec)? {
        if case .found(let name, let spec) = choose(name) { return (name, spec) }
        return nil
    }

    /// Names in sorted order.
    public var names: [String] { byName.keys.sorted() }

    /// `(name, spec)` in name order.
    public var sorted: [(String, IntegrationSpec)] { byName.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    public var isEmpty: Bool { byName.isEmpty }
}
