import Foundation
import Testing
import TestSupport

/// Runs the real `bizone` binary, as a user would, in a scratch copy of the repository's files.
final class Workspace: @unchecked Sendable {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `bizone` built with these tests (this target depends on it, so it is never stale),
    /// in the build products directory next to the test bundle; `BIZONE_BIN` overrides it on purpose.
    static let binary: String = BuildProducts.executable("bizone", override: "BIZONE_BIN").path

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var output: String { stdout + stderr }
    }

    private let temporary: TemporaryDirectory
    var directory: URL { temporary.url }

    init() throws {
        temporary = try TemporaryDirectory(prefix: "bizone-cli")
    }

    deinit { temporary.remove() }

    var statePath: String { directory.appendingPathComponent("state/state.db").path }

    /// Copies a directory of the repository (e.g. `pipelines`) into the workspace.
    func copy(_ relative: String, as name: String? = nil) throws -> String {
        let target = directory.appendingPathComponent(name ?? relative)
        try FileManager.default.copyItem(at: Self.packageRoot.appendingPathComponent(relative), to: target)
        return target.path
    }

    func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    func read(_ relative: String) throws -> String { try String(contentsOfFile: path(relative), encoding: .utf8) }

    func write(_ relative: String, _ text: String) throws {
        let url = directory.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Replaces exactly one occurrence of `old` in a file, failing the test if it is not there once.
    func edit(_ relative: String, replacing old: String, with new: String) throws {
        let text = try read(relative)
        let count = text.components(separatedBy: old).count - 1
        try #require(count == 1, "expected exactly one \"\(old)\" in \(relative), found \(count)")
        try write(relative, text.replacingOccurrences(of: old, with: new))
    }

    /// Runs bizone with `--state` pointing into the workspace and `--no-color`, waiting for it
    /// off the concurrency pool (see `offPool`), so servers in this process keep answering.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:], state: Bool = true) async throws -> Result {
        try await offPool("bizone \(arguments.first ?? "")") { try self.runBlocking(arguments, environment: environment, state: state) }
    }

    private func runBlocking(_ arguments: [String], environment extra: [String: String], state: Bool) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments + (state ? ["--state", statePath] : []) + ["--no-color"]
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "BIZONE_STATE")
        environment["BIZONE_ACTOR"] = "cli-test"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = directory.appendingPathComponent(".out-\(UUID().uuidString)")
        let err = directory.appendingPathComponent(".err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        return Result(status: process.terminationStatus,
                      stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
func position(of needle: String, in text: String, after marker: String? = nil) -> (line: Int, column: Int)? {
    var searchStart = text.startIndex
    if let marker, let found = text.range(of: marker) { searchStart = found.upperBound }
    guard let range = text.range(of: needle, range: searchStart..<text.endIndex) else { return nil }
    let before = text[..<range.lowerBound]
    let line = before.filter { $0 == "\n" }.count + 1
    let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
    return (line, text.unicodeScalars.distance(from: lineStart.samePosition(in: text.unicodeScalars)!, to: range.lowerBound.samePosition(in: text.unicodeScalars)!) + 1)
}
