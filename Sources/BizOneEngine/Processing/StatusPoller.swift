import BizOneModel
import Foundation
import Logging

/// Refreshes template statuses from Meta on an interval (`Engine.sync()`), in case a template
/// webhook was missed: Meta has no API to fetch missed webhooks (reference §16). Failures are
/// logged and the next round tries again.
///
/// `run()` has the shape of a swift-service-lifecycle `Service` and returns when cancelled.
public struct StatusPoller: Sendable {
    public static let defaultInterval: Duration = .seconds(300)

    public let interval: Duration
    let sync: @Sendable () async throws -> [ResourceID]
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void
    let onResult: (@Sendable (Result<[ResourceID], any Error>) -> Void)?

    /// Polls through `engine.sync()`. Only while every integration has a Graph client: `sync`
    /// records a template it does not find at Meta as DELETED, so polling with a client missing
    /// would mark that integration's templates deleted. Such a round fails with
    /// `StatusPoller.Unavailable` (logged) instead.
    public init(engine: Engine, interval: Duration = StatusPoller.defaultInterval,
                logger: Logger = Logger(label: "bizone.poller"),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                onResult: (@Sendable (Result<[ResourceID], any Error>) -> Void)? = nil) {
        self.init(interval: interval, logger: logger, sleep: sleep, onResult: onResult, sync: {
            guard !engine.meta.isEmpty, engine.meta.unavailable.isEmpty else { throw Unavailable(unavailable: engine.meta.unavailable) }
            return try await engine.sync()
        })
    }

    /// Not every integration can reach Meta, so the poll was skipped.
    public struct Unavailable: Error, CustomStringConvertible, Sendable {
        public var unavailable: [String: String]
        public var description: String {
            let why = unavailable.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "; ")
            return "not every integration has a Graph client" + (why.isEmpty ? "" : " (\(why))") + "; template statuses not polled"
        }
    }

    /// Polls through any sync function (tests).
    public init(interval: Duration = StatusPoller.defaultInterval, logger: Logger = Logger(label: "bizone.poller"),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                onResult: (@Sendable (Result<[ResourceID], any Error>) -> Void)? = nil,
                sync: @escaping @Sendable () async throws -> [ResourceID]) {
        self.interval = interval
        self.sync = sync
        self.logger = logger
        self.sleep = sleep
        self.onResult = onResult
    }

    /// Syncs at once, then every `interval`, until cancelled.
    public func run() async throws {
        logger.info("template status poller started", metadata: ["interval": "\(interval)"])
        while !Task.isCancelled {
            await pollOnce()
            do {
                try await sleep(interval)
            } catch {
                break
            }
        }
        logger.info("template status poller stopped")
    }

    /// One sync; returns the templates whose record changed (empty when it failed).
    @discardableResult
    public func pollOnce() async -> [ResourceID] {
        do {
            let changed = try await sync()
            if !changed.isEmpty {
                logger.info("template statuses refreshed from Meta", metadata: [
                    "changed": "\(changed.map(\.description).joined(separator: ", "))",
                ])
            } else {
                logger.debug("template statuses unchanged")
            }
            onResult?(.success(changed))
            return changed
        } catch is CancellationError {
            return []
        } catch {
            logger.warning("template status poll failed; will retry", metadata: ["error": "\(error)"])
            onResult?(.failure(error))
            return []
        }
    }
}
