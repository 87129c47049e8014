import Foundation
import Testing
import TestSupport

/// Meta unreachable (issue 9 §2): every command that talks to Graph fails fast with one line
/// naming the Graph URL and the cause, after a few retries each reported at the default level.
/// Before, `HTTPClient.shared` re-dialled a refused connection silently until each request's
/// 30 s deadline: `plan` took 121 s (4 attempts), all of it silent.
@Suite struct UnreachableGraphTests {
    /// A loopback port nothing listens on: taken by a listener, which is then closed.
    static func closedPort() throws -> Int {
        try RawListener().port
    }

    static let commands: [[String]] = [
        ["plan", "pipelines"],
        ["apply", "pipelines", "--auto-approve"],
        ["sync", "pipelines"],
        ["import", "templates", "pipelines", "--out", "imported"],
        ["doctor", "pipelines"],
    ]

    @Test(arguments: commands)
    func aCommandFailsFastNamingTheGraphURLAndTheCause(_ arguments: [String]) async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let url = "http://127.0.0.1:\(try Self.closedPort())"
        let environment = ["BIZONE_GRAPH_URL": url, "META_ACCESS_TOKEN": "token-\(UUID().uuidString)",
                           "META_APP_SECRET": "x", "META_VERIFY_TOKEN": "y", "CRM_WEBHOOK_SECRET": "z"]
        let result = try await workspace.run(arguments, environment: environment)

        #expect(result.status == 1, "\(arguments): \(result.output)")
        let cause = "\(url): could not connect: connection refused"
        #expect(result.output.contains(cause), "\(arguments): \(result.output)")
        if arguments[0] != "doctor" {
            let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
            #expect(errors.count == 1, "\(arguments): \(result.stderr)")
            #expect(errors.first?.contains(cause) == true && errors.first?.contains("3 attempts in") == true,
                    "\(arguments): \(result.stderr)")
        }
        let retries = result.stderr.split(separator: "\n").filter { $0.contains("warning") && $0.contains("retrying") }
        #expect(!retries.isEmpty && retries.count <= 4, "\(arguments): each retry reported, and few: \(result.stderr)")
        #expect(!result.output.contains(environment["META_ACCESS_TOKEN"] ?? "?"))
    }
}
