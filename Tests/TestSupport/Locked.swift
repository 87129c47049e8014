import Synchronization

/// A value behind a `Mutex`, shared by reference between a test and the tasks or callbacks
/// of the doubles it drives.
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) { mutex = Mutex(value) }

    /// A copy of the value now.
    public var current: Value { mutex.withLock { $0 } }

    /// Reads or changes the value under the lock; keep `body` short and synchronous.
    @discardableResult
    public func withValue<T: Sendable, E: Error>(_ body: (inout Value) throws(E) -> T) throws(E) -> T {
        try mutex.withLock { (value: inout Value) throws(E) -> T in try body(&value) }
    }
}

extension Locked where Value: RangeReplaceableCollection {
    /// An empty collection.
    public convenience init() { self.init(Value()) }

    /// Appends one element.
    public func append(_ element: Value.Element) { withValue { $0.append(element) } }

    /// Every element so far.
    public var all: Value { current }

    public var count: Int { withValue { $0.count } }
}
