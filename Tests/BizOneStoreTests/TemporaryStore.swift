import BizOneModel
import BizOneStore
import Foundation
import TestSupport

/// A state file in its own temporary directory, removed when the test's body returns.
enum TemporaryStore {
    /// A fresh path under the temporary directory; nothing is created there yet.
    static func directory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("bizone-store-tests-\(UUID().uuidString)")
    }

    /// Opens a fresh store at `<tmp>/<uuid>/nested/state.db` (the parent does not exist yet).
    static func with<T>(_ body: (StateStore) throws -> T) throws -> T {
        try withTemporaryDirectory(prefix: "bizone-store-tests") { directory in
            try body(try StateStore(path: directory.path("nested/state.db")))
        }
    }

    /// Like `with`, also handing over the path so a test can open the file a second time.
    static func withPath<T>(_ body: (String) throws -> T) throws -> T {
        try withTemporaryDirectory(prefix: "bizone-store-tests") { directory in
            try body(directory.path("nested/state.db"))
        }
    }
}
