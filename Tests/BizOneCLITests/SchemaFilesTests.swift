import BizOneModel
import Foundation
import Testing

@Suite("committed schemas")
struct SchemaFilesTests {
    /// `schemas/` must be exactly what `bizone schema --out schemas` generates from the model.
    @Test func committedSchemasMatchTheModel() async throws {
        let directory = Workspace.packageRoot.appendingPathComponent("schemas")
        let generated = try JSONSchemaExport.files()
        let committed = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        #expect(Set(committed) == Set(generated.keys))
        for (name, data) in generated {
            let onDisk = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
            #expect(onDisk == data, "schemas/\(name) is stale: run make schemas")
        }
    }

    @Test func schemaCheckCommandAgrees() async throws {
        let workspace = try Workspace()
        let check = try await workspace.run(["schema", "--out", Workspace.packageRoot.appendingPathComponent("schemas").path, "--check"], state: false)
        #expect(check.status == 0, "\(check.output)")
        _ = try await workspace.run(["schema", "--out", "fresh"], state: false)
        try workspace.write("fresh/user.schema.json", "{}")
        let stale = try await workspace.run(["schema", "--out", "fresh", "--check"], state: false)
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("user.schema.json"))
    }

    @Test func everyYAMLFileNamesItsSchema() async throws {
        let root = Workspace.packageRoot
        var files: [String] = []
        for top in ["pipelines", "examples"] {
            let enumerator = FileManager.default.enumerator(atPath: root.appendingPathComponent(top).path)
            while let path = enumerator?.nextObject() as? String {
                if path.hasSuffix(".yaml") || path.hasSuffix(".yml") { files.append("\(top)/\(path)") }
            }
        }
        #expect(files.count >= 10)
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            let first = text.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.hasPrefix("# yaml-language-server: $schema="), "\(file) lacks the schema comment")
            let relative = first.replacingOccurrences(of: "# yaml-language-server: $schema=", with: "")
            let target = root.appendingPathComponent(file).deletingLastPathComponent().appendingPathComponent(relative).standardized
            #expect(FileManager.default.fileExists(atPath: target.path), "\(file) points at a missing \(relative)")
        }
    }
}
