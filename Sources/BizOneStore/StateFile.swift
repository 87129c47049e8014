import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creating the state file owner-only: it holds phone numbers, names and message text.
///
/// The file is created empty with mode 0600 before SQLite opens it (SQLite treats an empty file
/// as a new database), and SQLite gives the `-wal` and `-shm` files it creates the main file's
/// mode. Folders BizOne creates for it are 0700. Existing files and folders are left as they are.
enum StateFile {
    static let fileMode: mode_t = 0o600
    static let folderMode: Int = 0o700

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Creates missing parent folders (0700) and the file (0600) if it is not there yet; two
    /// processes doing this at once both succeed.
    static func create(_ path: String) throws {
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        // Only folders BizOne creates: an existing one (the working directory, say) keeps its mode.
        if !FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory) {
            try createFolder(parent)
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        if descriptor < 0 {
            if errno == EEXIST { return }
            throw StoreError.database("cannot create the state file \(path): \(String(cString: strerror(errno)))")
        }
        // The umask may only take bits away; set exactly 0600 in case it took the owner's.
        _ = fchmod(descriptor, fileMode)
        _ = close(descriptor)
    }

    private static func createFolder(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: folderMode])
        } catch {
            // Another process creating it at the same moment is fine.
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue { return }
            throw StoreError.database("cannot create the folder \(folder.path) for the state file: \(error.localizedDescription)")
        }
    }
}
