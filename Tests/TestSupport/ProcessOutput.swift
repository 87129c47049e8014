import Foundation
import Synchronization

/// Everything a child process writes to one pipe, collected on a thread of its own (never a
/// thread of the cooperative pool), with a way to wait for a line: "listening on ...",
/// "Ctrl-C stops it." Waiting ends with the line, with the end of the output (the process
/// exited first: the error carries what it printed), or after the generous ceiling.
public final class ProcessOutput: Sendable {
    private struct Waiter {
        var needle: String
        var continuation: CheckedContinuation<Result<String, ProcessOutputError>, Never>
    }

    private struct State {
        var text = ""
        var ended = false
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
        var expired: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// Starts reading `pipe` until its end; give the pipe to the process before `run()`.
    public init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                self.received(String(decoding: chunk, as: UTF8.self))
            }
            self.ended()
        }
        thread.name = "ProcessOutput"
        thread.start()
    }

    /// What was read so far.
    public var text: String { state.withLock { $0.text } }

    /// Whether the pipe has reached its end (the process closed it, usually by exiting).
    public var isFinished: Bool { state.withLock { $0.ended } }

    /// The first complete line containing `needle`, waiting for it if needed.
    public func line(containing needle: String, ceiling: Duration = eventCeiling) async throws -> String {
        let id: UInt64 = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task {
            try? await Task.sleep(for: ceiling)
            self.expire(id, ceiling: ceiling)
        }
        defer { timer.cancel() }
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<String, ProcessOutputError>, Never>) in
            let ready: Result<String, ProcessOutputError>? = state.withLock { state in
                if let line = Self.line(containing: needle, in: state.text) { return .success(line) }
                if state.ended { return .failure(.ended(waitingFor: needle, output: state.text)) }
                if state.expired.remove(id) != nil { return .failure(.timedOut(waitingFor: needle, after: ceiling, output: state.text)) }
                state.waiters[id] = Waiter(needle: needle, continuation: continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        return try result.get()
    }

    private func received(_ chunk: String) {
        let ready: [(CheckedContinuation<Result<String, ProcessOutputError>, Never>, String)] = state.withLock { state in
            state.text += chunk
            var ready: [(CheckedContinuation<Result<String, ProcessOutputError>, Never>, String)] = []
            for (id, waiter) in state.waiters {
                if let line = Self.line(containing: waiter.needle, in: state.text) {
                    ready.append((waiter.continuation, line))
                    state.waiters[id] = nil
                }
            }
            return ready
        }
        for (continuation, line) in ready { continuation.resume(returning: .success(line)) }
    }

    private func ended() {
        let (waiters, text): ([Waiter], String) = state.withLock { state in
            state.ended = true
            defer { state.waiters = [:] }
            return (Array(state.waiters.values), state.text)
        }
        for waiter in waiters { waiter.continuation.resume(returning: .failure(.ended(waitingFor: waiter.needle, output: text))) }
    }

    private func expire(_ id: UInt64, ceiling: Duration) {
        let (waiter, text): (Waiter?, String) = state.withLock { state in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                state.expired.insert(id)
                return (nil, state.text)
            }
            return (waiter, state.text)
        }
        waiter?.continuation.resume(returning: .failure(.timedOut(waitingFor: waiter?.needle ?? "", after: ceiling, output: text)))
    }

    /// The first newline-terminated line of `text` containing `needle`.
    static func line(containing needle: String, in text: String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // not terminated yet (empty when the text ends with a newline)
        return lines.first { $0.contains(needle) }.map(String.init)
    }
}

public enum ProcessOutputError: Error, CustomStringConvertible {
    case ended(waitingFor: String, output: String)
    case timedOut(waitingFor: String, after: Duration, output: String)

    public var description: String {
        switch self {
        case .ended(let needle, let output): "the output ended before a line with \"\(needle)\"; it was:\n\(output)"
        case .timedOut(let needle, let ceiling, let output): "no line with \"\(needle)\" after \(ceiling); the output was:\n\(output)"
        }
    }
}
