import Logging
import ServiceLifecycle

/// `bizone emulator`: runs the emulator as a Service until graceful shutdown.
///
/// ```swift
/// let service = EmulatorService(configuration: configuration, logger: logger)
/// try await ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint],
///                                             logger: logger)).run()
/// ```
/// or simply `try await EmulatorService.runUntilSignalled(configuration, logger: logger)`.
public struct EmulatorService: Service {
    public let configuration: EmulatorConfiguration
    public let logger: Logger
    /// Called once the emulator listens (to print the URL, for example).
    public let onStarted: @Sendable (RunningEmulator) async -> Void

    public init(configuration: EmulatorConfiguration, logger: Logger,
                onStarted: @escaping @Sendable (RunningEmulator) async -> Void = { _ in }) {
        self.configuration = configuration
        self.logger = logger
        self.onStarted = onStarted
    }

    public func run() async throws {
        let running = try await MetaEmulator.start(configuration, logger: logger)
        await onStarted(running)
        try? await gracefulShutdown()
        logger.info("Meta emulator stopping")
        await running.stop()
    }

    /// Runs until SIGTERM or SIGINT.
    public static func runUntilSignalled(_ configuration: EmulatorConfiguration, logger: Logger,
                                         onStarted: @escaping @Sendable (RunningEmulator) async -> Void = { _ in }) async throws {
        let service = EmulatorService(configuration: configuration, logger: logger, onStarted: onStarted)
        let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
