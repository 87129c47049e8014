import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Meta unreachable (issue 9 §2): every command that talks to Graph fails fast with one line
/// naming the Graph URL and the cause, after a few retries each reported at the default level.
/// Before, `HTTPClient.shared` re-dialled a refused connection silently until each request's
/// 30 s deadline: `plan` took 121 s (4 attempts), all of it silent.
@Suite struct UnreachableGraphTests {
    /// A loopback port nothing listens on: bound, read, closed.
    static func closedPort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socketFD >= 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr in
                bind(socketFD, sockaddr, length) == 0 && getsockname(socketFD, sockaddr, &length) == 0
            }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
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
