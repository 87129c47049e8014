import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// MetaEmulator: a faithful local Meta (WhatsApp Cloud API and template management) on
/// loopback HTTP: template review by rules, sends with rate limits and the 24-hour window,
/// signed status/template/inbound webhooks, Meta's error envelope, and `/_emulator` control.
public enum MetaEmulator {
    /// Starts the server; returns once it listens (with the port resolved when 0 was asked).
    public static func start(_ configuration: EmulatorConfiguration, logger: Logger) async throws -> RunningEmulator {
        let configuration = configuration.effective
        let dispatcher = WebhookDispatcher(
            secrets: .init(appSecret: configuration.appSecret, verifyToken: configuration.verifyToken,
                           defaultURL: configuration.webhookURL),
            timing: configuration.timing, behaviour: configuration.webhookBehaviour, clock: configuration.clock,
            seed: configuration.seed, logger: logger)
        let state = EmulatorState(configuration: configuration, dispatcher: dispatcher, logger: logger)
        let control = EmulatorControl(state: state, dispatcher: dispatcher)
        let dispatcherTask = Task { await dispatcher.run() }

        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: EmulatorMiddleware(state: state, clock: configuration.clock,
                                                  defaultVersion: configuration.defaultVersion, logger: logger))
        ControlRoutes(control: control).register(on: router)
        GraphRoutes(state: state, accessToken: configuration.accessToken,
                    defaultVersion: APIVersion(configuration.defaultVersion) ?? .v23).register(on: router)

        let (ports, portContinuation) = AsyncStream.makeStream(of: Result<Int, any Error>.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(.success(channel.localAddress?.port ?? configuration.port))
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            do {
                try await group.run()
                portContinuation.yield(.failure(EmulatorStartError(message: "the server stopped before listening")))
            } catch {
                portContinuation.yield(.failure(error))
                throw error
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let first = await iterator.next() else {
            throw EmulatorStartError(message: "the server did not start")
        }
        switch first {
        case .success(let port):
            logger.info("Meta emulator listening", metadata: ["url": "http://\(configuration.host):\(port)"])
            return RunningEmulator(port: port, host: configuration.host, configuration: configuration, group: group, task: task,
                                   state: state, dispatcher: dispatcher, dispatcherTask: dispatcherTask)
        case .failure(let error):
            await dispatcher.stop()
            dispatcherTask.cancel()
            throw error
        }
    }
}

/// The emulator could not start listening.
public struct EmulatorStartError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
