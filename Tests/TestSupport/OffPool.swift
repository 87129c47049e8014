import Foundation

/// Runs blocking work (waiting for a child process, reading its files) on a thread of its own
/// and awaits the result.
///
/// Why not `DispatchQueue.global()`: on Linux the Swift concurrency pool runs on those same
/// worker threads, as many as there are cores. The test process also serves HTTP in-process
/// (the emulator, webhook receivers), so two tests blocked in `waitUntilExit()` on a 2-core
/// machine froze every server in the process, and a child waiting on one of them waited for
/// ever (CI stalled for 85 minutes that way). A fresh thread never takes a worker away.
public func offPool<T: Sendable>(_ name: String = "off-pool",
                                 _ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try work() })
        }
        thread.name = name
        thread.start()
    }
}

extension Process {
    /// `waitUntilExit()` without holding a thread of the concurrency pool.
    public func exited() async {
        _ = try? await offPool("wait-\(processIdentifier)") { [self] in waitUntilExit() }
    }
}
