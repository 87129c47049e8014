import Foundation

/// The build products directory of the running tests (`.build/debug`, or wherever SwiftPM
/// put this build), where the executables the tests depend on are built next to the test
/// bundle. Tests run those, so they never run a binary older than the sources under test.
public enum BuildProducts {
    /// The directory holding this module's resource bundle: SwiftPM writes resource bundles,
    /// test bundles and executables side by side.
    public static var directory: URL {
        Bundle.module.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The executable `name` in the products directory, or the path in the environment
    /// variable `override` when that is set (to test another build of the binary on purpose).
    public static func executable(_ name: String, override: String? = nil) -> URL {
        if let override, let path = ProcessInfo.processInfo.environment[override], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return directory.appendingPathComponent(name)
    }
}
