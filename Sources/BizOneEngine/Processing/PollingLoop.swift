/// The loop of a background worker that looks at a queue every `interval` (forwards, security
/// e-mails): one round, then a pause, until the task is cancelled. A round that throws is
/// reported and the loop goes on (the next round retries); cancellation ends it at once.
public enum PollingLoop {
    public static func run(every interval: Duration, sleep: @Sendable (Duration) async throws -> Void,
                           onError: (any Error) -> Void, _ round: () async throws -> Void) async {
        while !Task.isCancelled {
            do {
                try await round()
            } catch is CancellationError {
                break
            } catch {
                onError(error)
            }
            do {
                try await sleep(interval)
            } catch {
                break
            }
        }
    }
}
