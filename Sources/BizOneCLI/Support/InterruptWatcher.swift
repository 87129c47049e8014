import Foundation
import Synchronization

/// SIGINT and SIGTERM for a command that must stop cleanly: the first signal runs `onFirst`
/// (once, off the main task) so the command can record why it stops and cancel its work; a
/// second one ends the process at once with 128 + the signal, as shells expect.
final class InterruptWatcher {
    private final class Received: Sendable {
        let signal = Mutex<Int32?>(nil)
    }

    private let sources: [any DispatchSourceSignal]
    private let received = Received()

    init(onFirst: @escaping @Sendable (Int32) -> Void) {
        var sources: [any DispatchSourceSignal] = []
        let received = self.received
        for number in [SIGINT, SIGTERM] {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let first = received.signal.withLock { current -> Bool in
                    guard current == nil else { return false }
                    current = number
                    return true
                }
                if first { onFirst(number) } else { exit(128 + number) }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// The first signal received, if any.
    var receivedSignal: Int32? { received.signal.withLock { $0 } }

    static func name(_ number: Int32) -> String { number == SIGTERM ? "SIGTERM" : "SIGINT" }

    /// Puts the default handlers back.
    func stop() {
        for source in sources { source.cancel() }
        Foundation.signal(SIGINT, SIG_DFL)
        Foundation.signal(SIGTERM, SIG_DFL)
    }
}
