import BizOneStore
import Foundation
import Logging
import MetaGraph

/// Who sends campaign messages for each phone number: one process at a time, and inside it one
/// pacer shared by every run (issue 9 §3).
///
/// The first run of this process to send for a number takes the number's lease in the state
/// (`sender_leases`) and the number's `SendPacer`; runs that join later share both; the last
/// one to leave gives the lease back. While another live process holds the lease, `join`
/// answers `.held` and the caller waits, so two processes never pace one number separately.
/// Renewal is lazy (`renewIfDue`, called between batches) rather than a background task, so
/// virtual clocks in tests see every step. A lease that expired and was taken by another
/// process while this one stalled is reported once by `renewIfDue`, and the runs stop.
actor NumberSenders {
    enum Join: Sendable {
        /// Send through this pacer (nil: unpaced, for benchmarks).
        case joined(SendPacer?)
        case held(by: String, until: Date)
    }

    private struct Entry {
        var users: Int
        var renewAt: Date
        var pacer: SendPacer?
    }

    let store: StateStore
    let holder: String
    let leaseSeconds: Double
    let now: @Sendable () -> Date
    let logger: Logger
    private var entries: [String: Entry] = [:]

    init(store: StateStore, holder: String, leaseSeconds: Double, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.store = store
        self.holder = holder
        self.leaseSeconds = leaseSeconds
        self.now = now
        self.logger = logger
    }

    /// Joins the sender for `number`, taking its lease when this process has no run sending for
    /// it yet. `makePacer` is called only by the first run to join.
    func join(_ number: String, replacing: String? = nil, makePacer: @Sendable () -> SendPacer?) throws -> Join {
        if var entry = entries[number] {
            entry.users += 1
            entries[number] = entry
            return .joined(entry.pacer)
        }
        let current = now()
        switch try store.acquireSenderLease(phoneNumberID: number, holder: holder, until: current.addingTimeInterval(leaseSeconds),
                                            now: current, replacing: replacing) {
        case .acquired:
            let pacer = makePacer()
            entries[number] = Entry(users: 1, renewAt: current.addingTimeInterval(leaseSeconds / 2), pacer: pacer)
            logger.info("sending for phone number", metadata: ["phone_number_id": "\(number)", "holder": "\(holder)"])
            return .joined(pacer)
        case .held(let other, let until):
            return .held(by: other, until: until)
        }
    }

    /// Renews the lease when half of it has passed. Nil while this process holds it; the new
    /// holder when another process took it (the runs must stop sending).
    func renewIfDue(_ number: String) throws -> String? {
        guard let entry = entries[number] else { return nil }
        let current = now()
        guard current >= entry.renewAt else { return nil }
        switch try store.acquireSenderLease(phoneNumberID: number, holder: holder, until: current.addingTimeInterval(leaseSeconds),
                                            now: current) {
        case .acquired:
            entries[number]?.renewAt = current.addingTimeInterval(leaseSeconds / 2)
            return nil
        case .held(let other, _):
            logger.warning("lost the phone number's sender lease; stopping its runs",
                           metadata: ["phone_number_id": "\(number)", "holder": "\(other)"])
            return other
        }
    }

    /// Leaves the sender; the last run to leave gives the lease back.
    func leave(_ number: String) {
        guard var entry = entries[number] else { return }
        entry.users -= 1
        if entry.users > 0 {
            entries[number] = entry
            return
        }
        entries[number] = nil
        do {
            try store.releaseSenderLease(phoneNumberID: number, holder: holder)
        } catch {
            logger.warning("could not give the sender lease back; it expires on its own",
                           metadata: ["phone_number_id": "\(number)", "error": "\(error)"])
        }
    }

    /// Runs of this process sending for `number` (for tests and diagnostics).
    func users(of number: String) -> Int { entries[number]?.users ?? 0 }
}
