import Foundation
import Testing

@Suite("bizone validate")
struct ValidateCommandTests {
    @Test func pipelinesAreValid() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let result = try await workspace.run(["validate", "pipelines"], state: false)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("Valid: 32 resources"))
        #expect(!result.stderr.contains("error:"))
    }

    @Test(arguments: ["examples/minimal", "examples/multi-language"])
    func examplesAreValid(path: String) async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("examples")
        let result = try await workspace.run(["validate", path], state: false)
        #expect(result.status == 0, "\(result.output)")
    }

    /// The acceptance case: five mistakes in three files, five located diagnostics, exit 1.
    @Test func fiveMistakesInThreeFilesAreAllReported() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let template = "pipelines/templates/back_in_stock.yaml"
        let longSentence = String(repeating: "Quantities are limited, so order soon to get yours. ", count: 22)
        try workspace.edit(template, replacing: "      Quantities are limited, so order soon to get yours.", with: "      " + longSentence)
        try workspace.edit(template, replacing: "  footer: Balas BERHENTI", with: "   footer: Balas BERHENTI")
        try workspace.edit("pipelines/campaigns.yaml", replacing: "    name: seasonal_promo\n", with: "    name: seasonal_promos\n")
        try workspace.edit("pipelines/campaigns.yaml", replacing: "  audience: new-signups\n", with: "  audience: new-signups\n  throttle: 10\n")
        try workspace.edit("pipelines/schedules.yaml", replacing: "timezone: Asia/Jakarta\n  window", with: "timezone: Asia/Jakart\n  window")

        let templateText = try workspace.read(template)
        let campaigns = try workspace.read("pipelines/campaigns.yaml")
        let schedules = try workspace.read("pipelines/schedules.yaml")
        let body = try #require(position(of: ">-", in: templateText))
        let indentation = try #require(position(of: "footer: Balas", in: templateText))
        let dangling = try #require(position(of: "seasonal_promos", in: campaigns))
        let unknown = try #require(position(of: "throttle", in: campaigns))
        let zone = try #require(position(of: "Asia/Jakart\n", in: schedules))

        let result = try await workspace.run(["validate", "pipelines"], state: false)
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }.map(String.init)
        #expect(errors.count == 5, "\(result.stderr)")
        let expected = [
            "pipelines/campaigns.yaml:\(dangling.line):\(dangling.column): error: template \"seasonal_promos\" is not declared",
            "pipelines/campaigns.yaml:\(unknown.line):\(unknown.column): error: unknown field \"throttle\"",
            "pipelines/schedules.yaml:\(zone.line):\(zone.column): error: unknown time zone \"Asia/Jakart\"",
            "\(template):\(body.line):\(body.column): error: body is",
            "\(template):\(indentation.line):",
        ]
        for prefix in expected {
            #expect(errors.contains { $0.hasPrefix(prefix) }, "missing \(prefix) in\n\(result.stderr)")
        }
        #expect(result.stderr.contains("did you mean \"Asia/Jakarta\""))
        #expect(result.stderr.contains("did you mean \"seasonal_promo\""))
    }

    @Test func missingPathIsAnError() async throws {
        let workspace = try Workspace()
        let result = try await workspace.run(["validate", "nowhere"], state: false)
        #expect(result.status == 1)
        #expect(result.stderr.contains("nowhere: no such file or directory"))
    }

    @Test func aSecretWrittenAsAValueIsRefusedWithoutEchoingIt() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        try workspace.edit("pipelines/integration.yaml", replacing: "{env: META_ACCESS_TOKEN}", with: "EAAGinlineSecretValue42")
        let result = try await workspace.run(["validate", "pipelines"], state: false)
        #expect(result.status == 1)
        #expect(result.stderr.contains("spec.accessToken must be a secret reference, not a value"))
        #expect(!result.output.contains("EAAGinlineSecretValue42"))
    }
}
