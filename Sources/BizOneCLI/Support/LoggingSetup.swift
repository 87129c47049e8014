import Foundation
import Logging
import Synchronization

/// Logs go to stderr so stdout stays clean for plans and JSON.
enum LoggingSetup {
    private static let once: Void = {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = LoggingSetup.level.withLock { $0 }
            return handler
        }
    }()
    private static let level = Mutex(Logger.Level.warning)

    static func bootstrap(level: Logger.Level) {
        self.level.withLock { $0 = level }
        _ = once
    }
}
