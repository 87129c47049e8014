import BizOneEngine
import BizOneStore
import Hummingbird
import Logging
import ServiceLifecycle

/// The HTTP side of `bizone serve`: webhook endpoints, health, readiness and metrics.
///
/// It owns an `EventWriter` (group commit into the event log). Give the CLI's `ServiceGroup`
/// `services(onRunning:)` (writer first, then the application) next to the event processor;
/// the group handles SIGTERM/SIGINT:
///
/// ```swift
/// let server = BizOneHTTPServer(configuration: configuration, store: store, metrics: metrics, logger: logger,
///                               decoded: cache, onEventsAppended: { processor.wake() })
/// let group = ServiceGroup(configuration: .init(
///     services: [processor] + try server.services(onRunning: { port in print("listening on \(port)") }),
///     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
/// try await group.run()
/// ```
public struct BizOneHTTPServer: Sendable {
    public let configuration: ServerConfiguration
    public let store: StateStore
    public let metrics: ServerMetrics
    public let logger: Logger
    /// The group-commit writer every webhook POST goes through.
    public let eventWriter: EventWriter

    /// - Parameters:
    ///   - decoded: where the items decoded at ingest go, for a processor in this process.
    ///   - onEventsAppended: called after every committed batch, to wake the processor.
    ///     It must return quickly (signal, do not process).
    public init(configuration: ServerConfiguration, store: StateStore, metrics: ServerMetrics, logger: Logger,
                decoded: DecodedEventCache? = nil, onEventsAppended: @escaping @Sendable () -> Void = {}) {
        self.configuration = configuration
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.eventWriter = EventWriter(store: store, metrics: metrics, batchMaxEvents: configuration.batchMaxEvents,
                                       batchMaxDelay: configuration.batchMaxDelay, logger: logger, decoded: decoded,
                                       onEventsAppended: onEventsAppended)
    }

    /// The router with every route and the request middleware. Throws `UndeclaredRoutes` when
    /// an `/api` route was added without the access it requires.
    public func makeRouter() throws -> Router<ServerContext> {
        try makeRoutes().router
    }

    /// Every route with what it requires (`bizone roles audit`, the route-matrix test).
    public func routeDeclarations() throws -> [RouteDeclaration] {
        try makeRoutes().declarations
    }

    private func makeRoutes() throws -> GuardedRouter {
        let router = Router(context: ServerContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        let now = configuration.now
        var routes = GuardedRouter(router: router, guardian: Guardian(store: store, now: now))
        HealthRoutes(probe: ReadinessProbe(store: store, limits: configuration.pressureLimits, now: now)).register(on: &routes)
        MetricsRoutes(metrics: metrics, store: store, limits: configuration.pressureLimits, now: now).register(on: &routes)
        WebhookRoutes(endpoints: configuration.endpoints, maxBodyBytes: configuration.maxBodyBytes, writer: eventWriter,
                      metrics: metrics).register(on: &routes)
        AuthRoutes(store: store, settings: configuration.auth, now: now).register(on: &routes)
        MeRoutes(store: store, now: now).register(on: &routes)
        TwoFactorRoutes(store: store, settings: configuration.auth, now: now).register(on: &routes)
        SecurityEventRoutes(store: store).register(on: &routes)
        ConversationRoutes(store: store, now: now).register(on: &routes)
        CannedResponseRoutes(store: store).register(on: &routes)
        StreamRoutes(store: store, now: now).register(on: &routes)
        TemplateRoutes(store: store, desiredHashes: configuration.desiredHashes).register(on: &routes)
        CampaignRoutes(store: store, now: now, forecast: configuration.forecast).register(on: &routes)
        EventLogRoutes(store: store, replay: configuration.replay).register(on: &routes)
        ApplyRunRoutes(store: store).register(on: &routes)
        ContactRoutes(store: store, now: now).register(on: &routes)
        // Last: the document describes every route registered above, and itself.
        let describe = Access.open(reason: "the API's description is public")
        let document = try OpenAPIDocument.render(
            declarations: routes.declarations + [RouteDeclaration(method: "GET", path: OpenAPIDocument.path, access: describe)],
            webhookPaths: configuration.endpoints.flatMap(\.routePaths))
        routes.get(OpenAPIDocument.path, describe) { _, _, _ in JSONResponse.raw(.ok, document) }
        try routes.verify()
        return routes
    }

    /// The Hummingbird application as a Service. `onRunning` gets the bound port (the real
    /// one when the configuration asks for port 0). If it cannot listen, it throws `ListenError`.
    public func makeService(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some Service {
        let configuration = self.configuration
        let logger = self.logger
        let started = ListeningService.Started()
        let application = Application(
            router: try makeRouter(),
            server: BizOneHTTP1Channel.builder(readTimeout: configuration.readTimeout),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                started.set()
                let port = channel.localAddress?.port ?? configuration.port
                logger.info("bizone server listening", metadata: [
                    "url": "http://\(configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host):\(port)",
                    "webhook_paths": "\(configuration.endpoints.flatMap(\.routePaths).joined(separator: ","))",
                    "read_timeout": "\(configuration.readTimeout)",
                ])
                await onRunning(port)
            },
            logger: logger
        )
        return ListeningService(application: application, host: configuration.host, port: configuration.port, started: started)
    }

    /// The services to run, in `ServiceGroup` order: the event writer, then the application.
    /// Graceful shutdown runs in reverse, so requests stop before the writer drains its queue.
    public func services(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> [any Service] {
        [eventWriter, try makeService(onRunning: onRunning)]
    }
}
