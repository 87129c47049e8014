/// The state file's identity and position: what plans are stamped with and `status` prints.
public struct StateInfo: Sendable, Hashable {
    /// A UUID created with the file; a plan made against another file is refused.
    public var lineage: String
    /// Incremented by every apply run that changed something; a plan made at another serial is stale.
    public var serial: Int
    /// The most recently started apply run, if any.
    public var lastRun: ApplyRunRecord?
    /// The current single-writer lock, if held.
    public var lock: LockInfo?

    public init(lineage: String, serial: Int, lastRun: ApplyRunRecord?, lock: LockInfo?) {
        self.lineage = lineage
        self.serial = serial
        self.lastRun = lastRun
        self.lock = lock
    }
}
