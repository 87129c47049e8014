import Dispatch

/// A task executor on its own serial dispatch queue. Work preferring it runs there instead of
/// on Swift's cooperative pool (one thread per core), so the store calls that block a thread
/// while they wait for SQLite's write lock do not take a pool thread from the HTTP handlers.
public final class DispatchTaskExecutor: TaskExecutor, @unchecked Sendable {
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
