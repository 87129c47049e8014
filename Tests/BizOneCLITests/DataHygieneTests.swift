import Foundation
import Testing
import TestSupport

/// Issue 9 §4 end to end, through the real binary: what a CSV may be, where it may live, who
/// may read the state file, and which commands may create it.
@Suite("data hygiene")
struct DataHygieneTests {
    static let role = """
        apiVersion: bizone/v1
        kind: Role
        metadata: {name: viewer}
        spec:
          permissions: {templates: [read]}

        """

    /// An audience reading `path` from `p/audiences.yaml` (the value sits at line 6, column 9).
    static func audience(path: String, encoding: String? = nil) -> String {
        """
        apiVersion: bizone/v1
        kind: Audience
        metadata: {name: vip}
        spec:
          csv:
            path: \(path)
        """ + (encoding.map { "\n    encoding: \($0)" } ?? "") + "\n"
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    // MARK: CSV files

    /// Used to die with SIGILL (a `try!` reading the directory).
    @Test func validateReportsADirectoryAsTheCSVAndExitsOne() async throws {
        let workspace = try Workspace()
        try workspace.write("p/audiences.yaml", Self.audience(path: "lists"))
        try FileManager.default.createDirectory(atPath: workspace.path("p/lists"), withIntermediateDirectories: true)
        let result = try await workspace.run(["validate", "p"], state: false)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.stderr.contains("p/audiences.yaml:6:11: error: CSV path \(workspace.path("p/lists")) is a directory, not a file"),
                "\(result.stderr)")
    }

    @Test func aLatin1CSVIsAnErrorNamingTheLineAndWithItsEncodingTheNamesArriveIntact() async throws {
        let workspace = try Workspace()
        let bytes = Array("phone,name\n+6281234567890,Jos".utf8) + [0xE9] + Array(" Mar".utf8) + [0xED] + Array("a\n".utf8)
        try workspace.write("p/audiences.yaml", Self.audience(path: "vip.csv"))
        try Data(bytes).write(to: URL(fileURLWithPath: workspace.path("p/vip.csv")))

        let refused = try await workspace.run(["validate", "p"], state: false)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("vip.csv:2:19: error: CSV file is not valid UTF-8 (byte 0xE9)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("csv.encoding: latin1"))
        #expect(!refused.output.contains("\u{FFFD}"))

        try workspace.write("p/audiences.yaml", Self.audience(path: "vip.csv", encoding: "latin1"))
        let show = try await workspace.run(["audience", "show", "vip", "p", "--json"])
        #expect(show.status == 0, "\(show.output)")
        #expect(show.stdout.contains("\"name\" : \"José María\""), "\(show.stdout)")
    }

    /// The first line of /etc/passwd used to appear as the CSV's "columns".
    @Test func aCSVPathOutsideThePipelineFolderIsRefusedAndNothingOfItIsPrinted() async throws {
        let workspace = try Workspace()
        try workspace.write("p/audiences.yaml", Self.audience(path: "../../../../../../../../etc/passwd") + "    phoneColumn: mobile\n")
        let result = try await workspace.run(["validate", "p"], state: false)
        #expect(result.status == 1)
        #expect(result.stderr.contains("p/audiences.yaml:6:11: error: CSV path \"../../../../../../../../etc/passwd\" is outside the pipeline folder"),
                "\(result.stderr)")
        #expect(!result.output.contains("root:"))
        #expect(!result.output.contains("columns:"))
    }

    // MARK: Who creates the state

    @Test func readOnlyCommandsNeverCreateTheStateFile() async throws {
        let workspace = try Workspace()
        try workspace.write("p/roles.yaml", Self.role)
        try workspace.write("p/audiences.yaml", Self.audience(path: "vip.csv"))
        try workspace.write("p/vip.csv", "phone,name\n+6281234567890,Ana\n")
        let folder = (workspace.statePath as NSString).deletingLastPathComponent

        for arguments in [["status"], ["status", "role/viewer"], ["webhooks", "list"], ["webhooks", "show", "1"],
                          ["campaign", "report", "blast"], ["state", "unlock", "abc"]] {
            let result = try await workspace.run(arguments)
            #expect(result.status == 1, "\(arguments): \(result.output)")
            #expect(result.stderr.contains("error: no state at \(workspace.statePath)"), "\(arguments): \(result.stderr)")
        }
        let plan = try await workspace.run(["plan", "p", "--detailed-exitcode"])
        #expect(plan.status == 2, "\(plan.output)")
        #expect(plan.stdout.contains("+ role/viewer"), "\(plan.stdout)")
        let show = try await workspace.run(["audience", "show", "vip", "p"])
        #expect(show.status == 0, "\(show.output)")
        #expect(show.stdout.contains("+6281234567890"))

        #expect(!FileManager.default.fileExists(atPath: workspace.statePath))
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    /// A plan made before any state existed applies to the state the apply creates, and both
    /// files are owner-only.
    @Test func aPlanSavedWithoutStateAppliesAndEveryFileIsOwnerOnly() async throws {
        let workspace = try Workspace()
        try workspace.write("p/roles.yaml", Self.role)
        let saved = workspace.path("plan.json")
        let plan = try await workspace.run(["plan", "p", "--out", saved])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(!FileManager.default.fileExists(atPath: workspace.statePath))
        #expect(try Self.mode(saved) == 0o600)

        let apply = try await workspace.run(["apply", saved])
        #expect(apply.status == 0, "\(apply.output)")
        #expect(apply.stdout.contains("Apply complete"), "\(apply.stdout)")
        let status = try await workspace.run(["status"])
        #expect(status.status == 0, "\(status.output)")
        // SQLite removes -wal and -shm when the last connection closes; the store tests check
        // them while the file is open.
        #expect(try Self.mode(workspace.statePath) == 0o600)
        #expect(try Self.mode((workspace.statePath as NSString).deletingLastPathComponent) == 0o700)

        // Once something was applied, a plan saved against no state is stale.
        let stale = workspace.path("stale.json")
        try workspace.write("q/roles.yaml", Self.role.replacingOccurrences(of: "viewer", with: "auditor"))
        let other = try await workspace.run(["plan", "q", "--out", stale, "--state", workspace.path("none/state.db")], state: false)
        #expect(other.status == 0, "\(other.output)")
        let refused = try await workspace.run(["apply", stale])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("saved plan is stale"), "\(refused.stderr)")
    }

    /// Two processes opening a new state file at once: 2 of 12 `status` pairs used to fail with
    /// `table "state_meta" already exists`. `status` no longer creates a state, so the pairs are
    /// two commands that do: an apply (of a folder with nothing to change) and a webhook replay.
    @Test func twentyRacingPairsOnFreshStateFilesAllSucceed() async throws {
        let workspace = try Workspace()
        try FileManager.default.createDirectory(atPath: workspace.path("empty"), withIntermediateDirectories: true)
        var failures: [String] = []
        for pair in 0..<20 {
            let state = workspace.path("race/\(pair)/state.db")
            async let first = workspace.run(["apply", "empty", "--auto-approve", "--state", state], state: false)
            async let second = workspace.run(["webhooks", "replay", "--state", state], state: false)
            for result in try await [first, second] where result.status != 0 {
                failures.append("pair \(pair): exit \(result.status): \(result.stderr)")
            }
            let status = try await workspace.run(["status", "--state", state], state: false)
            if status.status != 0 { failures.append("pair \(pair): status exit \(status.status): \(status.stderr)") }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
