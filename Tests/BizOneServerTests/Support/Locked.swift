import Foundation

/// A value behind a lock, for test doubles shared across tasks.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    var current: Value { lock.withLock { value } }

    @discardableResult
    func withValue<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
