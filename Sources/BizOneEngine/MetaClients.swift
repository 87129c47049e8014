import MetaGraph

/// The Graph clients the engine may use, by integration name, and why any is missing.
public struct MetaClients: Sendable {
    public var clients: [String: any GraphClient]
    /// Integrations without a client, with the reason (e.g. the token's secret is not set).
    public var unavailable: [String: String]

    public init(clients: [String: any GraphClient] = [:], unavailable: [String: String] = [:]) {
        self.clients = clients
        self.unavailable = unavailable
    }

    public var isEmpty: Bool { clients.isEmpty }

    /// The client for a template's integration: the named one, or the only one there is.
    public func client(for integration: String?) -> (name: String, client: any GraphClient)? {
        if let integration { return clients[integration].map { (integration, $0) } }
        guard clients.count == 1, let only = clients.first else { return nil }
        return (only.key, only.value)
    }
}
