@testable import BizOneConfig
import BizOneModel
import Foundation
import Testing
import TestSupport

/// Bugs found in review, each pinned by the input that showed it.
@Suite("loader regressions")
struct RegressionTests {
    private func source() throws -> AudienceSpec.CSVSource {
        try JSONValue.object(["path": .string("x.csv"), "phoneColumn": .string("phone"), "nameColumn": .string("name"),
                              "optOutColumn": .string("opt_out")]).decode(AudienceSpec.CSVSource.self)
    }

    @Test(arguments: [
        ("name,phone\n\"Putri, A\",12ab\n", 2, 12),
        ("name,phone\n\"Putri\nA\",12ab\n", 3, 4),
        ("name,phone\nÄnne,12ab\n", 2, 6),
    ])
    func anInvalidPhoneIsLocatedAtItsOwnLineAndColumn(csv: String, line: Int, column: Int) throws {
        try withTemporaryDirectory { directory in
            let path = try directory.write("x.csv", csv)
            let summary = try AudienceFile.scan(path: path, source: try source(), defaultCountryCode: "62")
            #expect(summary.invalid.count == 1)
            #expect(summary.invalid.first?.line == line)
            #expect(summary.invalid.first?.column == column)
        }
    }

    @Test func aByteOrderMarkBeforeTheHeaderIsIgnored() throws {
        try withTemporaryDirectory { directory in
            let path = try directory.write("x.csv", "\u{FEFF}phone,name\n+6281234567890,A\n")
            let summary = try AudienceFile.scan(path: path, source: try source(), defaultCountryCode: nil)
            #expect(summary.valid == 1)
            #expect(summary.invalid.isEmpty)
        }
    }

    @Test(arguments: [
        ("apiVersion: bizone/v1\nkind: Role\nmetadata:\n  name: admin\nspec:\n  permissions:\n    templates: [read]\n   description: x\n", "YAML syntax error"),
        ("apiVersion: bizone/v2\nkind: Role\nmetadata:\n  name: admin\nspec:\n  permissions: {templates: [read]}\n", "unknown apiVersion"),
        ("apiVersion: bizone/v1\nkind: Rol\nmetadata:\n  name: admin\nspec:\n  permissions: {templates: [read]}\n", "unknown kind"),
    ])
    func aBrokenDocumentIsNotReportedAgainAsADanglingReference(roleFile: String, expected: String) throws {
        try withTemporaryDirectory { directory in
            try directory.write("a.yaml", roleFile)
            try directory.write("b.yaml", YAML.user("ana", roles: "[admin]"))
            let result = PipelineLoader().load(paths: [directory.path])
            let errors = result.diagnostics.errors
            #expect(errors.count == 1, "\(errors)")
            #expect(errors.first?.message.contains(expected) == true)
            #expect(errors.first?.location?.file.hasSuffix("a.yaml") == true)
        }
    }

    @Test func theCSVInputIsAnAbsoluteStandardisedPathWhateverTheLoaderWasGiven() throws {
        try withTemporaryDirectory { directory in
            try directory.write("p/data/a.csv", "phone,name\n+6281234567890,A\nbad,B\n")
            try directory.write("p/audiences/aud.yaml", """
                apiVersion: bizone/v1
                kind: Audience
                metadata: {name: vip}
                spec:
                  csv: {path: ./../data/a.csv}

                """)
            // The CSV must stay inside the pipeline folder (see CSVHygieneTests), so the folder is given.
            let relative = directory.path + "/p/../p"
            let result = PipelineLoader().load(paths: [relative])
            let audience = try #require(result.desired?.resources.first)
            let expected = URL(fileURLWithPath: directory.path).appendingPathComponent("p/data/a.csv").standardized.path
            #expect(audience.inputs["csv"] == expected)
            #expect(result.diagnostics.warnings.first?.location?.file == expected)
        }
    }

    @Test func shortWordsGetNoFarFetchedSuggestionButTranspositionsDo() {
        #expect(Suggest.closest(to: "xx", in: MetaLanguages.list) == nil)
        #expect(Suggest.closest(to: "emial", in: ["email", "displayName", "roles"]) == "email")
    }
}
