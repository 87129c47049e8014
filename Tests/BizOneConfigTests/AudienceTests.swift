@testable import BizOneConfig
import BizOneModel
import Foundation
import Testing
import TestSupport

private let vipAudienceYAML = audienceYAML(path: "lists/vip.csv")

/// Line 2 and 3 are the same person (local 08... form and +62 form), line 4 opted out,
/// line 5 has no usable phone number (its phone is the second column, at column 8).
private let vipCSV = """
name,phone,opt_out,city
Siti,081234567890,no,Jakarta
Siti Again,+62 812-3456-7890,,Bandung
Budi,+6285712345678,yes,Bandung
Broken,12-ab,,Bali

"""

private func csvSource(phone: String = "phone", name: String = "name", optOut: String = "opt_out") throws -> AudienceSpec.CSVSource {
    try JSONValue.object([
        "path": .string("unused.csv"), "phoneColumn": .string(phone),
        "nameColumn": .string(name), "optOutColumn": .string(optOut),
    ]).decode(AudienceSpec.CSVSource.self)
}

@Suite("Audience CSV files")
struct AudienceTests {
    @Test func aCSVAudienceLoadsWithWarningsForBadRowsOnly() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", vipAudienceYAML)
            let csv = try directory.write("lists/vip.csv", vipCSV)
            let result = PipelineLoader().load(paths: [yaml])

            #expect(result.errors.isEmpty, "\(result.errors)")
            #expect(result.diagnostics == [
                .warning("invalid phone number \"12-ab\"; the row is left out",
                         at: BizOneModel.SourceLocation(file: csv, line: 5, column: 8)),
            ])
            #expect(result.diagnostics.first?.description.hasPrefix("\(csv):5:8: warning: ") == true)
            let audience = try #require(result.desired?[ResourceID(kind: .audience, name: "vip")])
            #expect(audience.inputs == ["csv": (csv as NSString).standardizingPath, "defaultCountryCode": "62"])
            let digest = ContentHash.of(Data(vipCSV.utf8))
            guard case .audience(let spec) = audience.spec else {
                Issue.record("not an audience")
                return
            }
            #expect(spec.csv?.digest == digest)
            #expect(spec.csv?.path == "lists/vip.csv")
            #expect(audience.content.value(at: "spec.csv.digest") == .string(digest))
            #expect(audience.content.value(at: "spec.csv.path") == .string("lists/vip.csv"))
        }
    }

    @Test func invalidRowsBeyondTheListedOnesAreCountedInOneMoreWarning() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", vipAudienceYAML)
            let extra = 7
            let broken = (0..<(AudienceFile.invalidRowLimit + extra)).map { "Broken \($0),12-ab,,Bali\n" }.joined()
            let csv = try directory.write("lists/vip.csv", "name,phone,opt_out,city\nSiti,081234567890,no,Jakarta\n" + broken)
            let result = PipelineLoader().load(paths: [yaml])
            let rows = result.diagnostics.filter { $0.message.hasSuffix("; the row is left out") }
            #expect(rows.count == AudienceFile.invalidRowLimit)
            let more = try #require(result.diagnostics.first { $0.message.hasPrefix("and ") }, "no summary of the unlisted rows")
            #expect(more.message == "and \(extra) more invalid rows, also left out (\(AudienceFile.invalidRowLimit + extra) in all)")
            #expect(result.diagnostics.count == rows.count + 1)
            #expect(more.location?.file == csv)
            #expect(result.errors.isEmpty)
        }
    }

    @Test func theIntegrationsCountryCodeIsUsedWhenTheAudienceHasNone() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", YAML.documents(
                YAML.integration, vipAudienceYAML.replacingOccurrences(of: "  defaultCountryCode: \"62\"\n", with: "")))
            try directory.write("lists/vip.csv", vipCSV)
            let result = PipelineLoader().load(paths: [yaml])
            #expect(result.diagnostics.map(\.message) == ["invalid phone number \"12-ab\"; the row is left out"])
            #expect(result.desired?[ResourceID(kind: .audience, name: "vip")]?.inputs["defaultCountryCode"] == "62")
        }
    }

    @Test func withoutACountryCodeLocalNumbersAreWarnings() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", vipAudienceYAML.replacingOccurrences(of: "  defaultCountryCode: \"62\"\n", with: ""))
            let csv = try directory.write("lists/vip.csv", vipCSV)
            let result = PipelineLoader().load(paths: [yaml])
            #expect(result.errors.isEmpty)
            #expect(result.warnings.map { "\($0.location!.line):\($0.location!.column) \($0.message)" } == [
                "2:6 invalid phone number \"081234567890\" (no '+' and no defaultCountryCode); the row is left out",
                "5:8 invalid phone number \"12-ab\" (no '+' and no defaultCountryCode); the row is left out",
            ])
            #expect(result.warnings.allSatisfy { $0.location?.file == csv })
            #expect(result.desired?[ResourceID(kind: .audience, name: "vip")]?.inputs == ["csv": (csv as NSString).standardizingPath])
        }
    }

    @Test func aChangedCSVChangesTheContentHash() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", vipAudienceYAML)
            try directory.write("lists/vip.csv", vipCSV)
            let before = try #require(PipelineLoader().load(paths: [yaml]).desired?.resources.first)
            let same = try #require(PipelineLoader().load(paths: [yaml]).desired?.resources.first)
            try directory.write("lists/vip.csv", vipCSV.replacingOccurrences(of: "Budi,", with: "Budi Santoso,"))
            let after = try #require(PipelineLoader().load(paths: [yaml]).desired?.resources.first)

            #expect(same.contentHash == before.contentHash)
            #expect(after.contentHash != before.contentHash)
            #expect(JSONValue.changedPaths(from: before.content, to: after.content) == ["spec.csv.digest"])
        }
    }

    @Test func aMissingCSVFileIsAnErrorAtThePath() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", vipAudienceYAML)
            let result = PipelineLoader().load(paths: [yaml])
            #expect(result.desired == nil)
            #expect(result.diagnostics == [
                .error("cannot read CSV file \(directory.path)/lists/vip.csv: No such file or directory", at: BizOneModel.SourceLocation(file: yaml, line: 8, column: 11)),
            ])
        }
    }

    @Test func aMissingPhoneColumnIsAnErrorAtTheColumnSetting() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", vipAudienceYAML + "    phoneColumn: mobile\n")
            try directory.write("lists/vip.csv", vipCSV)
            let result = PipelineLoader().load(paths: [yaml])
            #expect(result.desired == nil)
            #expect(result.diagnostics == [
                .error("CSV has no column \"mobile\" (columns: name, phone, opt_out, city)",
                       at: BizOneModel.SourceLocation(file: yaml, line: 9, column: 18)),
            ])
        }
    }

    @Test func anEmptyCSVIsAnError() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", vipAudienceYAML)
            try directory.write("lists/vip.csv", "")
            let result = PipelineLoader().load(paths: [yaml])
            #expect(result.errors.map(\.message) == ["CSV file is empty; it needs a header row"])
        }
    }

    // MARK: AudienceFile.scan

    /// Quoted fields with a comma, an escaped quote and an embedded newline; a blank line; a
    /// duplicate in local form that carries the opt-out; one invalid row.
    static let trickyCSV = """
    phone,name,opt_out,note\r
    +6281234567890,"Wijaya, Ana",,"first line
    second line"
    081234567890,Ana again,yes,
    
    +6285712345678,Budi,no,plain
    not-a-phone,Cici,,
    +6289612340987,"Dewi ""DK"" Kusuma",TRUE,
    ,Nobody,,
    """

    @Test func scanCountsRowsAndKeepsLineNumbersAfterAMultiLineField() throws {
        try withTemporaryDirectory { directory in
            let path = try directory.write("tricky.csv", Self.trickyCSV)
            var contacts: [AudienceContact] = []
            let summary = try AudienceFile.scan(path: path, source: try csvSource(), defaultCountryCode: "62") { contacts.append($0) }

            #expect(summary.rows == 6)
            #expect(summary.valid == 4)
            #expect(summary.invalidCount == 2)
            #expect(summary.invalid == [
                AudienceFile.Row(line: 7, column: 1, message: "invalid phone number \"not-a-phone\""),
                AudienceFile.Row(line: 9, column: 1, message: "row has no phone number"),
            ])
            #expect(summary.digest == ContentHash.of(Data(Self.trickyCSV.utf8)))
            // Every valid row, duplicates included, in file order: the store collapses duplicates.
            #expect(contacts == [
                AudienceContact(phone: "+6281234567890", name: "Wijaya, Ana", attributes: ["note": "first line\nsecond line"],
                                optedOut: false, sourceLine: 2),
                AudienceContact(phone: "+6281234567890", name: "Ana again", attributes: [:], optedOut: true, sourceLine: 4),
                AudienceContact(phone: "+6285712345678", name: "Budi", attributes: ["note": "plain"], optedOut: false, sourceLine: 6),
                AudienceContact(phone: "+6289612340987", name: "Dewi \"DK\" Kusuma", attributes: [:], optedOut: true, sourceLine: 8),
            ])
        }
    }

    @Test func scanWithCustomColumnsAndNoCountryCode() throws {
        let csv = "Mobile,Full Name,Unsubscribed,tier\n+6281234567890,Siti,x,gold\n081234567890,Budi,,silver\n"
        try withTemporaryDirectory { directory in
            let path = try directory.write("custom.csv", csv)
            var contacts: [AudienceContact] = []
            let summary = try AudienceFile.scan(path: path, source: try csvSource(phone: "Mobile", name: "Full Name", optOut: "Unsubscribed"),
                                                defaultCountryCode: nil) { contacts.append($0) }
            #expect(summary.rows == 2)
            #expect(summary.valid == 1)
            #expect(summary.invalid == [
                AudienceFile.Row(line: 3, column: 1, message: "invalid phone number \"081234567890\" (no '+' and no defaultCountryCode)"),
            ])
            #expect(contacts == [AudienceContact(phone: "+6281234567890", name: "Siti", attributes: ["tier": "gold"], optedOut: true, sourceLine: 2)])
        }
    }

    @Test func scanFailures() throws {
        try withTemporaryDirectory { directory in
            let missing = directory.url.appendingPathComponent("missing.csv").path
            #expect {
                try AudienceFile.scan(path: missing, source: try csvSource(), defaultCountryCode: nil)
            } throws: { error in
                (error as? AudienceFile.Failure)?.description == "cannot read CSV file \(missing): No such file or directory"
            }
            let headerOnly = try directory.write("header.csv", "phone,name\n")
            let summary = try AudienceFile.scan(path: headerOnly, source: try csvSource(), defaultCountryCode: nil)
            #expect(summary.rows == 0)
            #expect(summary.valid == 0)
            let noPhone = try directory.write("nophone.csv", "name,email\nSiti,siti@example.com\n")
            #expect {
                try AudienceFile.scan(path: noPhone, source: try csvSource(), defaultCountryCode: nil)
            } throws: { error in
                (error as? AudienceFile.Failure)?.description == "CSV has no column \"phone\" (columns: name, email)"
            }
        }
    }
}
