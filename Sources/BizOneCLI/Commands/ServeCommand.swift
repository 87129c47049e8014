import ArgumentParser
import BizOneEngine
import BizOneModel
import BizOneServer
import BizOneStore
import Foundation
import Logging
import Prometheus
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive Meta's webhooks, process them into state, forward and route them; health and metrics.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Files or directories with the integrations (default: the integrations in the state file).")
    var paths: [String] = []

    @Option(name: .long, help: "Address to listen on.") var host = "127.0.0.1"
    @Option(name: .long, help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(name: .long, help: "How often template statuses are refreshed from Meta, e.g. 5m (0s turns it off).")
    var pollInterval = "5m"
    @Option(name: .long, help: ArgumentHelp(
        "How long a client may take to send a request's headers, and then its body, e.g. 30s; idle connections close after it too.",
        valueName: "duration"))
    var readTimeout = "30s"
    @Option(name: .long, help: ArgumentHelp(
        "Wait before a failed security e-mail is tried again, e.g. 30s; it doubles per attempt, at most 1h apart.",
        valueName: "duration"))
    var mailRetry = "30s"

    func run() async throws {
        let logger = global.logger("bizone.serve")
        guard let poll = DurationValue(parsing: pollInterval) else {
            throw ValidationError("--poll-interval \(pollInterval): use a duration such as 5m")
        }
        guard let read = DurationValue(parsing: readTimeout), read.milliseconds > 0 else {
            throw ValidationError("--read-timeout \(readTimeout): use a duration above zero such as 30s")
        }
        guard let mailRetryDelay = DurationValue(parsing: mailRetry), mailRetryDelay.milliseconds > 0 else {
            throw ValidationError("--mail-retry \(mailRetry): use a duration above zero such as 30s")
        }
        AllocatorTuning.forServer()
        let store = try StateStore(path: global.statePath)
        let desired = paths.isEmpty ? nil : try DesiredLoader.load(paths, terminal: global.terminal).0
        let integrations = try desired.map { GraphConnection.integrations(in: $0) } ?? GraphConnection.integrations(in: store)
        guard !integrations.isEmpty else {
            Terminal.printError("error: no Integration to serve: apply one first, or name the pipeline paths")
            throw ExitCode(1)
        }
        var endpoints: [WebhookEndpoint] = []
        for (name, spec) in integrations {
            guard let appSecret = SecretResolver.resolve(spec.appSecret) else {
                Terminal.printError("error: integration \(name): the app secret (\(spec.appSecret)) is not set; webhooks cannot be verified")
                throw ExitCode(1)
            }
            endpoints.append(WebhookEndpoint(path: spec.webhookPath, integration: name, appSecret: appSecret,
                                             verifyToken: SecretResolver.resolve(spec.verifyToken)))
        }
        let meta = GraphConnection.clients(for: integrations, logger: logger)
        let metrics = ServerMetrics(registry: PrometheusCollectorRegistry())
        // The server hands what it decoded before each 200 to the processor in memory.
        let decoded = DecodedEventCache()
        // Events gather for 10 ms after a wake-up: batches of tens instead of a few at a steady
        // campaign's rate, for 10 ms more processing lag (make bench: CPU per event).
        let processor = EventProcessor(store: store, meta: meta, configuration: .init(batchSize: 100, linger: .milliseconds(10)),
                                       observer: ClosureProcessingObserver { processed, failed, lag in
            metrics.eventProcessed(count: processed)
            metrics.eventFailed(count: failed)
            metrics.setProcessingLag(seconds: lag)
        }, decoded: decoded, logger: logger)
        let dispatcher = ForwardDispatcher(store: store, sender: LiveForwardSender(), logger: logger, onAttempt: { delivered in
            metrics.forwardAttempt(delivered ? .success : .retry)
        })
        var configuration = ServerConfiguration(host: host, port: port, endpoints: endpoints, readTimeout: .milliseconds(read.milliseconds))
        // Seals TOTP secrets and the tokens of queued reset e-mails; never printed or logged.
        let secretKey = ProcessInfo.processInfo.environment["BIZONE_SECRET_KEY"]
        configuration.auth.secretKey = secretKey
        // What the pipeline files say now, for the API's sync status (git against the state).
        if let desired {
            let engine = Engine.forCommand(store: store, meta: meta, logger: logger)
            configuration.forecast = { await engine.forecastCampaigns(desired: desired) }
        }
        configuration.desiredHashes = desired.map { Dictionary($0.resources.map { ("\($0.id)", $0.contentHash) }, uniquingKeysWith: { first, _ in first }) }
        configuration.replay = { ids in try await processor.process(events: try store.webhookEvents(since: nil, ids: ids, limit: nil)) }
        let server = BizOneHTTPServer(
            configuration: configuration,
            store: store, metrics: metrics,
            logger: logger, decoded: decoded, onEventsAppended: { processor.wake() })
        var services: [any Service] = [
            LoopService("processor") { try await processor.run() },
            LoopService("forwarder") { try await dispatcher.run() },
        ]
        let mail = MailDelivery(store: store, transport: CurlSMTPTransport(),
                                configuration: .init(retry: MailRetry(base: Double(mailRetryDelay.milliseconds) / 1000)),
                                secretKey: secretKey, logger: logger)
        services.append(LoopService("mail") { try await mail.run() })
        let replies = ReplyDispatcher(store: store, meta: meta, logger: logger)
        services.append(LoopService("replies") { try await replies.run() })
        let sla = SLAMonitor(store: store, logger: logger)
        services.append(LoopService("sla") { try await sla.run() })
        let campaignDispatcher = CampaignDispatcher(store: store, meta: meta, logger: logger)
        let scheduler = CampaignScheduler(store: store, dispatcher: campaignDispatcher, logger: logger)
        services.append(LoopService("campaigns") { await scheduler.run() })
        if poll.milliseconds > 0 {
            let poller = StatusPoller(engine: Engine.forCommand(store: store, meta: meta, logger: logger),
                                      interval: .milliseconds(poll.milliseconds), logger: logger)
            services.append(LoopService("status poller") { try await poller.run() })
        }
        let hostForURLs = host
        let served = endpoints
        services += try server.services { boundPort in
            print("bizone serve listening on http://\(hostForURLs):\(boundPort)")
            for endpoint in served {
                print("  webhooks for \(endpoint.integration): http://\(hostForURLs):\(boundPort)\(endpoint.path)")
            }
            print("  health: /api/health, /api/health/ready; metrics: /metrics")
            fflush(nil)
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as ListenError {
            Terminal.printError("error: \(error)")
            throw ExitCode(1)
        }
        print("bizone serve stopped.")
    }
}
