import Logging
import ServiceLifecycle

/// A started emulator: its port, its base URL (without a version, as `GraphClientConfiguration`
/// wants it) and in-process control. `stop()` shuts the server down gracefully.
public final class RunningEmulator: Sendable {
    public let port: Int
    public let host: String
    public let control: EmulatorControl
    public let configuration: EmulatorConfiguration
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let state: EmulatorState
    let dispatcher: WebhookDispatcher
    let dispatcherTask: Task<Void, Never>

    init(port: Int, host: String, configuration: EmulatorConfiguration, group: ServiceGroup, task: Task<Void, any Error>,
         state: EmulatorState, dispatcher: WebhookDispatcher, dispatcherTask: Task<Void, Never>) {
        self.port = port
        self.host = host
        self.configuration = configuration
        self.group = group
        self.task = task
        self.state = state
        self.dispatcher = dispatcher
        self.dispatcherTask = dispatcherTask
        self.control = EmulatorControl(state: state, dispatcher: dispatcher)
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// `http://127.0.0.1:<port>/<version>`.
    public func graphURL(version: String = "v23.0") -> String { "\(baseURL)/\(version)" }

    /// Stops accepting requests, cancels scheduled reviews and statuses and stops the webhook queue.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        await state.shutdown()
        dispatcherTask.cancel()
        await dispatcher.stop()
        await dispatcherTask.value
    }
}
