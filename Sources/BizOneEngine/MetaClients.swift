import MetaGraph

/// The Graph clients the engine may use, by integration name, and why any is missing.
///
/// One set per process, built by the composition root: `clients` for everything (retries,
/// sends paced by the number's pacer), `senders` the views of the same clients that campaign
/// runs send through (no client-side pacing or retries: the dispatcher paces with `pacers`
/// and retries through its outbox), and `pacers`, one per integration's phone number.
public struct MetaClients: Sendable {
    public var clients: [String: any GraphClient]
    /// Campaign send views; an integration without one sends through its client.
    public var senders: [String: any GraphClient]
    /// The pacer of each integration's phone number, shared by its client and the dispatcher.
    public var pacers: [String: SendPacer]
    /// Integrations without a client, with the reason (e.g. the token's secret is not set).
    public var unavailable: [String: String]

    public init(clients: [String: any GraphClient] = [:], senders: [String: any GraphClient] = [:],
                pacers: [String: SendPacer] = [:], unavailable: [String: String] = [:]) {
        self.clients = clients
        self.senders = senders
        self.pacers = pacers
        self.unavailable = unavailable
    }

    /// Live clients for integrations: each with its campaign send view and its pacer.
    public init(live: [String: LiveGraphClient], unavailable: [String: String] = [:]) {
        self.init(clients: live.mapValues { $0 }, senders: live.mapValues { $0.forCallerPacedSends() },
                  pacers: live.mapValues(\.pacer), unavailable: unavailable)
    }

    public var isEmpty: Bool { clients.isEmpty }

    /// The integration a resource uses: the named one, or the only one with a client.
    public func integration(named integration: String?) -> String? {
        if let integration { return clients[integration] == nil ? nil : integration }
        guard clients.count == 1 else { return nil }
        return clients.first?.key
    }

    /// The client for a template's integration: the named one, or the only one there is.
    public func client(for integration: String?) -> (name: String, client: any GraphClient)? {
        guard let name = self.integration(named: integration), let client = clients[name] else { return nil }
        return (name, client)
    }

    /// The client campaign sends go through for an integration.
    public func sender(for integration: String?) -> (name: String, client: any GraphClient)? {
        guard let name = self.integration(named: integration), let client = senders[name] ?? clients[name] else { return nil }
        return (name, client)
    }
}
