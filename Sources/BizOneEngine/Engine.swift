import BizOneModel
import BizOnePlanner
import BizOneStore
import Foundation
import Logging

/// The composition of store and planner that commands use.
public struct Engine: Sendable {
    public let store: StateStore
    public let logger: Logger
    /// Injected so runs and records can be tested with a fixed clock.
    public let now: @Sendable () -> Date

    public init(store: StateStore, logger: Logger = Logger(label: "bizone.engine"), now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.logger = logger
        self.now = now
    }

    /// Observes the state file and plans against it.
    public func plan(desired: DesiredState, options: PlanOptions) throws -> Plan {
        let observed = try store.observedState()
        return Planner.plan(desired: desired, observed: observed, options: options)
    }
}
