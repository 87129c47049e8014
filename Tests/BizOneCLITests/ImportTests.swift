import BizOneModel
import Foundation
import Logging
import MetaEmulator
import MetaGraph
import Testing

@Suite("bizone import templates")
struct ImportTests {
    /// Fifty templates of varied shapes made directly at Meta, as if in WhatsApp Manager.
    static func seed(_ emulator: RunningEmulator, count: Int) async throws {
        let client = LiveGraphClient(configuration: GraphClientConfiguration(
            baseURL: emulator.baseURL, businessAccountID: emulator.configuration.businessAccountID,
            phoneNumberID: emulator.configuration.phoneNumberID, accessToken: emulator.configuration.accessToken))
        for index in 0..<count {
            let language = ["en_US", "id", "pt_BR"][index % 3]
            var components: [TemplateComponent]
            switch index % 4 {
            case 0:
                components = [TemplateComponent(type: "BODY", text: "Hello {{1}}, order {{2}} ships today.",
                                                example: ComponentExample(bodyText: [["Siti", "A-\(index)"]]))]
            case 1:
                components = [
                    TemplateComponent(type: "HEADER", format: "TEXT", text: "Order {{1}}", example: ComponentExample(headerText: ["A-1"])),
                    TemplateComponent(type: "BODY", text: "Hi {{1}}: it's here! #\(index) \"quoted\"",
                                      example: ComponentExample(bodyText: [["Budi"]])),
                    TemplateComponent(type: "FOOTER", text: "Reply STOP to opt out"),
                ]
            case 2:
                components = [
                    TemplateComponent(type: "BODY", text: "Sale for {{1}}: use code at checkout.", example: ComponentExample(bodyText: [["you"]])),
                    TemplateComponent(type: "BUTTONS", buttons: [
                        TemplateButton(type: "QUICK_REPLY", text: "Yes"), TemplateButton(type: "QUICK_REPLY", text: "No"),
                        TemplateButton(type: "URL", text: "Shop", url: "https://shop.example/p/{{1}}", example: .many(["x1"])),
                    ]),
                ]
            default:
                components = [TemplateComponent(type: "BODY", text: "Thanks {{1}}, see you soon.", example: ComponentExample(bodyText: [["Ana"]])),
                              TemplateComponent(type: "BUTTONS", buttons: [TemplateButton(type: "PHONE_NUMBER", text: "Call us", phoneNumber: "+6221508880\(index % 10)")])]
            }
            _ = try await client.createTemplate(CreateTemplateRequest(
                name: "seeded_\(index)", language: language, category: index % 2 == 0 ? "UTILITY" : "MARKETING", components: components))
        }
    }

    @Test func fiftyTemplatesAtMetaBecomeFiftyValidFilesAndApplyingThemChangesNothingAtMeta() async throws {
        let emulator = try await TemplateReconcileTests.emulator()
        defer { Task { await emulator.stop() } }
        try await Self.seed(emulator, count: 50)
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        _ = try workspace.copy("schemas")
        let environment = TemplateReconcileTests.environment(emulator)

        let result = try await workspace.run(["import", "templates", "pipelines", "--out", "pipelines/imported"], environment: environment)
        #expect(result.status == 0, "\(result.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: workspace.path("pipelines/imported")).filter { $0.hasSuffix(".yaml") }
        #expect(files.count == 50)
        let first = try workspace.read("pipelines/imported/\(try #require(files.sorted().first))")
        #expect(first.hasPrefix("# yaml-language-server: $schema=../../schemas/template.schema.json"), "\(first)")
        #expect(try await workspace.run(["validate", "pipelines"], environment: environment).status == 0)

        let before = await emulator.control.stats()
        let (_, plan) = try await TemplateReconcileTests.plan(workspace, environment)
        let templateChanges = try #require(plan).actionableChanges.filter { $0.id.kind == .template }
        let imported = templateChanges.filter { $0.id.name.hasPrefix("seeded_") }
        #expect(imported.count == 50)
        #expect(imported.allSatisfy { $0.action == .adopt }, "\(imported.filter { $0.action != .adopt }.map { "\($0.action) \($0.id): \($0.reason)" })")

        #expect(try await workspace.run(["apply", "pipelines", "--auto-approve"], environment: environment).status == 0)
        let after = await emulator.control.stats()
        #expect(after.templatesCreated == before.templatesCreated + 12, "only the 12 pipeline templates were created")
        #expect(after.templateEdits == before.templateEdits, "nothing imported was edited")
        #expect(try await workspace.run(["plan", "pipelines", "--detailed-exitcode"], environment: environment).status == 0)

        let again = try await workspace.run(["import", "templates", "pipelines", "--out", "pipelines/more"], environment: environment)
        #expect(again.stdout.contains("Nothing to import"), "\(again.output)")
    }
}
