import Foundation

/// A fresh directory of its own under the system's temporary directory, for real files
/// (SQLite state, YAML, CSV) a test creates. `remove()` or `withTemporaryDirectory` cleans up.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public var path: String { url.path }

    /// Creates `<tmp>/<prefix>-<uuid>`.
    public init(prefix: String = "bizone-tests") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The URL of `relative` inside the directory (nothing is created).
    public func url(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    /// The path of `relative` inside the directory (nothing is created).
    public func path(_ relative: String) -> String { url(relative).path }

    /// Writes `text` to `name` (creating intermediate directories) and returns the full path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let file = url(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Runs `body` with a fresh temporary directory and removes it afterwards, whatever happens.
public func withTemporaryDirectory<T>(prefix: String = "bizone-tests", _ body: (TemporaryDirectory) throws -> T) throws -> T {
    let directory = try TemporaryDirectory(prefix: prefix)
    defer { directory.remove() }
    return try body(directory)
}

/// The async form of `withTemporaryDirectory`.
public func withTemporaryDirectory<T>(prefix: String = "bizone-tests",
                                      _ body: (TemporaryDirectory) async throws -> T) async throws -> T {
    let directory = try TemporaryDirectory(prefix: prefix)
    defer { directory.remove() }
    return try await body(directory)
}
