@testable import BizOneConfig
import BizOneModel
import Foundation
import Testing
import TestSupport

/// The acceptance audience, generated: 5,000 data rows = 4,650 distinct contacts (200 of them
/// opted out) + 300 duplicate rows (the same numbers in local 0811... form) + 50 invalid rows
/// (a bad number, or none).
struct AcceptanceCSV {
    var text: String
    var invalidLines: [Int]

    static func digits(_ index: Int) -> String {
        let text = String(index)
        return String(repeating: "0", count: 7 - text.count) + text
    }

    static func make() -> AcceptanceCSV {
        var lines = ["name,phone,opt_out,city"]
        var invalidLines: [Int] = []
        var duplicates = 0
        for index in 0..<4_650 {
            let optedOut = index % 23 == 5 && index / 23 < 200
            lines.append("Contact \(index),+62811\(digits(index)),\(optedOut ? "yes" : ""),City \(index % 7)")
            if index % 15 == 14, duplicates < 300 {
                duplicates += 1
                lines.append("Again \(index - 7),0811\(digits(index - 7)),,")
            }
            if index % 93 == 50 {
                invalidLines.append(lines.count + 1)  // lines[0] is line 1
                lines.append(invalidLines.count.isMultiple(of: 2) ? "Nobody \(index),,," : "Broken \(index),12-ab-\(index),,")
            }
        }
        return AcceptanceCSV(text: lines.joined(separator: "\n") + "\n", invalidLines: invalidLines)
    }
}

private func source() throws -> AudienceSpec.CSVSource {
    try JSONValue.object(["path": .string("list.csv"), "phoneColumn": .string("phone"), "nameColumn": .string("name"),
                          "optOutColumn": .string("opt_out")]).decode(AudienceSpec.CSVSource.self)
}

/// An audience spec as the loader hands it over (schema defaults filled in).
private func audience(_ object: [String: JSONValue]) throws -> AudienceSpec {
    var object = object
    if case .object(var csv)? = object["csv"] {
        for (key, value) in ["phoneColumn": "phone", "nameColumn": "name", "optOutColumn": "opt_out"] where csv[key] == nil {
            csv[key] = .string(value)
        }
        object["csv"] = .object(csv)
    }
    return try JSONValue.object(object).decode(AudienceSpec.self)
}

/// Elements held in collections anywhere inside `value`: what a scan keeps, whatever the file's size.
private func retainedElements(_ value: Any) -> Int {
    let mirror = Mirror(reflecting: value)
    var total = 0
    switch mirror.displayStyle {
    case .collection, .dictionary, .set: total += mirror.children.count
    default: break
    }
    for child in mirror.children where !(child.value is String) {
        total += retainedElements(child.value)
    }
    return total
}

/// Writes `rows` data rows (every tenth invalid) without building the file in memory.
private func writeLargeCSV(_ path: String, rows: Int) throws {
    FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try #require(FileHandle(forWritingAtPath: path))
    defer { try? handle.close() }
    var chunk = "phone,name\n"
    for index in 0..<rows {
        chunk += index % 10 == 9 ? "x\(index),bad\n" : "+62812\(AcceptanceCSV.digits(index)),n\n"
        if chunk.utf8.count > 1 << 16 {
            handle.write(Data(chunk.utf8))
            chunk = ""
        }
    }
    handle.write(Data(chunk.utf8))
}

@Suite("Audience CSV streaming")
struct AudienceStreamingTests {
    @Test("acceptance: 5,000 rows, 300 duplicates, 200 opted out, 50 invalid rows listed by line")
    func acceptanceCSV() throws {
        let csv = AcceptanceCSV.make()
        try withTemporaryDirectory { directory in
            let path = try directory.write("list.csv", csv.text)
            var rows = 0
            var phones = Set<String>()
            var optedOut = Set<String>()
            let summary = try AudienceFile.scan(path: path, source: try source(), defaultCountryCode: "62") { contact in
                rows += 1
                phones.insert(contact.phone)
                if contact.optedOut { optedOut.insert(contact.phone) }
            }
            #expect(summary.rows == 5_000)
            #expect(summary.valid == 4_950)
            #expect(summary.invalidCount == 50)
            #expect(summary.invalid.map(\.line) == csv.invalidLines)
            #expect(summary.invalid.first?.message == "invalid phone number \"12-ab-50\"")
            #expect(summary.invalid.dropFirst().first?.message == "row has no phone number")
            #expect(summary.digest == ContentHash.of(Data(csv.text.utf8)))
            // Every valid row is handed over, duplicates included; they collapse to 4,650 numbers.
            #expect(rows == 4_950)
            #expect(phones.count == 4_650)
            #expect(optedOut.count == 200)
            #expect(phones.count - optedOut.count == 4_450)

            // The loader reports the same 50 rows by file and line.
            let yaml = try directory.write("audience.yaml", """
                apiVersion: bizone/v1
                kind: Audience
                metadata:
                  name: launch
                spec:
                  defaultCountryCode: "62"
                  csv:
                    path: list.csv

                """)
            let result = PipelineLoader().load(paths: [yaml])
            #expect(result.errors.isEmpty)
            #expect(result.warnings.compactMap(\.location?.line) == csv.invalidLines)
            #expect(result.warnings.allSatisfy { $0.location?.file.hasSuffix("list.csv") == true })
        }
    }

    @Test("a 200,000-row scan keeps no contacts and at most the first invalid rows")
    func scanMemoryDoesNotGrowWithTheFile() throws {
        try withTemporaryDirectory { directory in
            let small = directory.url.appendingPathComponent("small.csv").path
            let large = directory.url.appendingPathComponent("large.csv").path
            try writeLargeCSV(small, rows: 20_000)
            try writeLargeCSV(large, rows: 200_000)

            var visited = 0
            let summary = try AudienceFile.scan(path: large, source: try source(), defaultCountryCode: nil) { _ in visited += 1 }
            #expect(summary.rows == 200_000)
            #expect(summary.valid == 180_000)
            #expect(visited == 180_000)
            #expect(summary.invalidCount == 20_000)
            #expect(summary.invalid.count == AudienceFile.invalidRowLimit)
            #expect(summary.unlistedInvalid == 10_000)
            #expect(summary.invalid.last?.line == 100_001)  // row 99,999 (0-based) is the 10,000th invalid one

            // What a summary holds: counts, the digest and the capped invalid list; no contacts.
            #expect(Mirror(reflecting: summary).children.compactMap(\.label) == ["digest", "rows", "valid", "invalid", "invalidCount"])
            #expect(retainedElements(summary) == AudienceFile.invalidRowLimit)

            // With a smaller cap, ten times the rows retain exactly as much.
            let smallSummary = try AudienceFile.scan(path: small, source: try source(), defaultCountryCode: nil, invalidLimit: 100)
            let largeSummary = try AudienceFile.scan(path: large, source: try source(), defaultCountryCode: nil, invalidLimit: 100)
            #expect(smallSummary.invalidCount == 2_000)
            #expect(largeSummary.invalidCount == 20_000)
            #expect(retainedElements(smallSummary) == 100)
            #expect(retainedElements(largeSummary) == 100)
        }
    }

    @Test("rows stream as they are read: an error from the visitor stops the scan")
    func visitorErrorsStopTheScan() throws {
        struct Stop: Error {}
        try withTemporaryDirectory { directory in
            let path = directory.url.appendingPathComponent("big.csv").path
            try writeLargeCSV(path, rows: 10_000)
            var visited = 0
            #expect(throws: Stop.self) {
                try AudienceFile.scan(path: path, source: try source(), defaultCountryCode: nil) { _ in
                    visited += 1
                    if visited == 3 { throw Stop() }
                }
            }
            #expect(visited == 3)
        }
    }

    @Test("AudienceRows: CSV rows then inline contacts, with the totals of both")
    func audienceRowsReadsCSVThenInline() throws {
        try withTemporaryDirectory { directory in
            let text = "phone,name,opt_out,tier\n+6281100000001,Ana,,gold\n0811 0000 0002,Budi,yes,\nnope,Cici,,\n+6281100000001,Ana 2,,\n"
            let path = try directory.write("list.csv", text)
            let spec = try audience([
                "defaultCountryCode": .string("62"),
                "csv": .object(["path": .string("list.csv"), "digest": .string(ContentHash.of(Data(text.utf8)))]),
                "contacts": .array([
                    .object(["phone": .string("+6281100000009"), "name": .string("Inline"), "tags": .array([.string("vip")])]),
                    .object(["phone": .string("+6281100000002"), "tags": .array([.string("b2b")])]),
                ]),
            ])
            let rows = AudienceRows(spec, inputs: ["csv": path], checkDigest: true)
            var emitted: [AudienceContact] = []
            let totals = try rows.readRows { emitted.append($0) }
            #expect(totals == AudienceSourceTotals(rows: 6, invalid: 1))
            #expect(emitted == [
                AudienceContact(phone: "+6281100000001", name: "Ana", attributes: ["tier": "gold"], sourceLine: 2),
                AudienceContact(phone: "+6281100000002", name: "Budi", optedOut: true, sourceLine: 3),
                AudienceContact(phone: "+6281100000001", name: "Ana 2", sourceLine: 5),
                AudienceContact(phone: "+6281100000009", name: "Inline", tags: ["vip"]),
                AudienceContact(phone: "+6281100000002", tags: ["b2b"]),
            ])
            #expect(rows.summary?.invalid.map(\.line) == [4])
        }
    }

    @Test("AudienceRows refuses a CSV that changed since it was planned, or one it cannot find")
    func audienceRowsChecksTheDigest() throws {
        try withTemporaryDirectory { directory in
            let path = try directory.write("list.csv", "phone\n+6281100000001\n")
            let planned = try audience(["csv": .object(["path": .string("list.csv"), "digest": .string("sha256:stale")])])
            #expect {
                try AudienceRows(planned, inputs: ["csv": path], checkDigest: true).readRows { _ in }
            } throws: { error in
                (error as? AudienceFile.Failure)?.description == "CSV file \(path) changed since it was planned"
            }
            // Without the check (a preview), the same file reads.
            let totals = try AudienceRows(planned, inputs: ["csv": path], checkDigest: false).readRows { _ in }
            #expect(totals == AudienceSourceTotals(rows: 1, invalid: 0))
            #expect(throws: AudienceFile.Failure.self) {
                try AudienceRows(planned, inputs: [:], checkDigest: false).readRows { _ in }
            }
        }
    }
}
