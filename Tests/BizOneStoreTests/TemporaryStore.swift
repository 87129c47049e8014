import BizOneModel
import BizOneStore
import Foundation

/// A state file in its own temporary directory, removed when the test's body returns.
enum TemporaryStore {
    static func directory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("bizone-store-tests-\(UUID().uuidString)")
    }

    /// Opens a fresh store at `<tmp>/<uuid>/nested/state.db` (the parent does not exist yet).
    static func with<T>(_ body: (StateStore) throws -> T) throws -> T {
        let directory = directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try StateStore(path: directory.appendingPathComponent("nested/state.db").path)
        return try body(store)
    }

    /// Like `with`, also handing over the path so a test can open the file a second time.
    static func withPath<T>(_ body: (String) throws -> T) throws -> T {
        let directory = directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory.appendingPathComponent("nested/state.db").path)
    }
}
