import BizOneEngine
import Foundation

/// Who runs an apply and at which git revision, for the run record.
enum RunContext {
    static func actor(revisionFrom paths: [String]) -> ApplyActor {
        let environment = ProcessInfo.processInfo.environment
        let who = environment["BIZONE_ACTOR"] ?? environment["GITHUB_ACTOR"]
            ?? "\(environment["USER"] ?? NSUserName())@\(ProcessInfo.processInfo.hostName)"
        let revision = environment["BIZONE_REVISION"] ?? environment["GITHUB_SHA"] ?? environment["CI_COMMIT_SHA"]
            ?? gitRevision(near: paths.first ?? ".")
        return ApplyActor(who: who, revision: revision)
    }

    /// `git rev-parse HEAD` in the directory of the given path, if it is in a git work tree.
    static func gitRevision(near path: String) -> String? {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let directory = exists && isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory.isEmpty ? "." : directory, "rev-parse", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = (try? pipe.fileHandleForReading.readToEnd()) ?? Data()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
