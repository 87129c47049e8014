import BizOneStore
import Synchronization

/// The processor's compiled `RouteTable`, rebuilt only when an applied route or integration
/// changed (added, removed, or a new content hash). Building reads and decodes their specs and
/// compiles regexes; asking whether anything changed is one index walk, cheap enough for every
/// batch. A table's problems are reported once, when it is built, not on every batch.
final class RouteTableCache: Sendable {
    private struct Entry {
        var versions: [ResourceVersion]
        var table: RouteTable
    }

    private let entry = Mutex<Entry?>(nil)

    /// The table for what is applied now, and whether it was just built.
    func table(from store: StateStore) throws -> (table: RouteTable, built: Bool) {
        let versions = try store.appliedVersions(of: RouteTable.kinds)
        if let cached = entry.withLock({ $0 }), cached.versions == versions { return (cached.table, false) }
        let table = try RouteTable.load(from: store)
        entry.withLock { $0 = Entry(versions: versions, table: table) }
        return (table, true)
    }
}
