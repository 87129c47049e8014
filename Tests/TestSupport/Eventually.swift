import Foundation
import Testing

/// How long a test waits for an event before it gives up. Only a ceiling, never a
/// measurement: a healthy run sees the event in milliseconds, and the ceiling is there so a
/// broken feature fails the test instead of hanging it, even on a machine whose cores are
/// busy with other work.
public let eventCeiling: Duration = .seconds(120)

/// Waits until `condition` holds, checking it again every few milliseconds. Gives up after
/// `ceiling` (wall-clock), records an issue naming `what` at the caller, and returns false.
///
/// Use it for events the test cannot be told about directly (a row written by a child
/// process, a counter of a server); an in-process component should rather signal.
/// `longestPause` bounds the back-off between checks (a driver that must react quickly passes
/// a few milliseconds).
@discardableResult
public func eventually(_ what: String = "the condition", ceiling: Duration = eventCeiling,
                       longestPause: Duration = .milliseconds(100),
                       sourceLocation: SourceLocation = #_sourceLocation,
                       _ condition: () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: ceiling)
    // Start fast, then back off a little so a long wait does not compete for the CPU.
    var pause: Duration = min(.milliseconds(5), longestPause)
    while true {
        if try await condition() { return true }
        guard clock.now < deadline else { break }
        try? await Task.sleep(for: pause)
        pause = min(pause * 2, longestPause)
    }
    Issue.record("gave up waiting for \(what) after \(ceiling)", sourceLocation: sourceLocation)
    return false
}
