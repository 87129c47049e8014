@testable import BizOneConfig
import BizOneModel
import Foundation
import Testing
import TestSupport

/// `José María` and `Zoë` in Latin-1: é is 0xE9, í is 0xED, ë is 0xEB.
private let latin1CSV: [UInt8] = Array("phone,name\n+6281234567890,Jos".utf8) + [0xE9] + Array(" Mar".utf8) + [0xED]
    + Array("a\n+6285712345678,Zo".utf8) + [0xEB] + Array("\n".utf8)

private func write(_ bytes: [UInt8], to name: String, in directory: TemporaryDirectory) throws -> String {
    let url = directory.url.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return url.path
}

private func names(_ path: String, encoding: AudienceSpec.TextEncoding?) throws -> [String?] {
    var source = try JSONValue.object(["path": .string("x.csv"), "phoneColumn": .string("phone"), "nameColumn": .string("name"),
                                       "optOutColumn": .string("opt_out")]).decode(AudienceSpec.CSVSource.self)
    source.encoding = encoding
    var names: [String?] = []
    _ = try AudienceFile.scan(path: path, source: source, defaultCountryCode: "62") { names.append($0.name) }
    return names
}

@Suite("Audience CSVs: what is read, and how")
struct CSVHygieneTests {
    // MARK: Not a regular file

    /// Used to die with SIGILL: FileHandle opened the directory, and reading it trapped.
    @Test func aDirectoryAsTheCSVIsAnErrorAtTheYAMLField() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", audienceYAML(path: "lists"))
            try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("lists"), withIntermediateDirectories: true)
            let result = PipelineLoader().load(paths: [yaml])
            #expect(result.desired == nil)
            #expect(result.diagnostics == [
                .error("CSV path \(directory.path)/lists is a directory, not a file", at: SourceLocation(file: yaml, line: 8, column: 11)),
            ])
        }
    }

    /// A FIFO would block the open (and then the read) forever.
    @Test func aNamedPipeIsRefusedWithoutWaitingForAWriter() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", audienceYAML(path: "pipe.csv"))
            let fifo = directory.url.appendingPathComponent("pipe.csv").path
            try #require(mkfifo(fifo, 0o600) == 0)
            let result = PipelineLoader().load(paths: [yaml])
            #expect(result.errors.map(\.message) == ["CSV path \(fifo) is a named pipe, not a file"])
            #expect(result.errors.first?.location == SourceLocation(file: yaml, line: 8, column: 11))
        }
    }

    /// `/dev/zero` never ends; allowed as a folder here so the file-type check is what refuses it.
    @Test func aDeviceIsRefused() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", audienceYAML(path: "/dev/zero"))
            let result = PipelineLoader(dataFolders: ["/dev"]).load(paths: [yaml])
            #expect(result.errors.map(\.message) == ["CSV path /dev/zero is a device, not a file"])
        }
    }

    // MARK: Encodings

    @Test func aLatin1CSVIsAnErrorAtTheFirstBadByte() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", audienceYAML(path: "vip.csv"))
            let csv = try write(latin1CSV, to: "vip.csv", in: directory)
            let result = PipelineLoader().load(paths: [yaml])
            #expect(result.desired == nil)
            let error = try #require(result.errors.first)
            #expect(result.errors.count == 1)
            // Line 2, "Jos" then the é byte at column 19 (after "+6281234567890,Jos").
            #expect(error.location == SourceLocation(file: csv, line: 2, column: 19))
            #expect(error.message == "CSV file is not valid UTF-8 (byte 0xE9); the audience is not loaded")
            #expect(error.hint?.contains("csv.encoding: latin1") == true)
            #expect(error.hint?.hasSuffix("(audience/vip, \(yaml):8:11)") == true, "\(error.hint ?? "")")
        }
    }

    @Test func withEncodingLatin1TheNamesArriveIntact() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", audienceYAML(path: "vip.csv", encoding: "latin1"))
            let csv = try write(latin1CSV, to: "vip.csv", in: directory)
            let result = PipelineLoader().load(paths: [yaml])
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
            let audience = try #require(result.desired?[ResourceID(kind: .audience, name: "vip")])
            guard case .audience(let spec) = audience.spec else { Issue.record("not an audience"); return }
            #expect(spec.csv?.encoding == .latin1)
            // The digest is over the raw bytes, whatever the encoding.
            #expect(spec.csv?.digest == ContentHash.of(Data(latin1CSV)))

            var imported: [String?] = []
            let rows = AudienceRows(spec, inputs: audience.inputs, checkDigest: true)
            _ = try rows.readRows { imported.append($0.name) }
            #expect(imported == ["José María", "Zoë"])
            #expect(try names(csv, encoding: .latin1) == ["José María", "Zoë"])
        }
    }

    @Test func windows1252MapsItsOwnCharactersAndLatin1DoesNot() throws {
        try withTemporaryDirectory { directory in
            // 0x80 is € and 0x93/0x94 are curly quotes in Windows-1252; C1 controls in Latin-1.
            let bytes = Array("phone,name\n+6281234567890,".utf8) + [0x93, 0x80, 0x35, 0x94] + Array("\n".utf8)
            let csv = try write(bytes, to: "w.csv", in: directory)
            #expect(try names(csv, encoding: .windows1252) == ["“€5”"])
            #expect(try names(csv, encoding: .latin1) == ["\u{93}\u{80}5\u{94}"])
        }
    }

    @Test(arguments: [
        ([0xC3], 1, 1, 0xC3),              // cut short at the end of the file
        ([0xC0, 0xAF], 1, 1, 0xC0),        // overlong form of '/'
        ([0xED, 0xA0, 0x80], 1, 1, 0xED),  // a UTF-16 surrogate
        ([0xF4, 0x90, 0x80, 0x80], 1, 1, 0xF4),  // above U+10FFFF
        ([0x41, 0x80], 1, 2, 0x80),        // a continuation byte with no lead
        ([0xE2, 0x82, 0x41], 1, 1, 0xE2),  // a three-byte character broken by 'A'
    ] as [([UInt8], Int, Int, UInt8)])
    func invalidUTF8IsNamedWhereItsCharacterStarts(bad: [UInt8], line: Int, column: Int, byte: UInt8) throws {
        try withTemporaryDirectory { directory in
            // The bad bytes are in the name field of line 3, which starts at column 16.
            let bytes = Array("phone,name\n+6281234567890,Ana\n+6285712345678,".utf8) + bad
            let csv = try write(bytes, to: "bad.csv", in: directory)
            do {
                _ = try names(csv, encoding: .utf8)
                Issue.record("invalid UTF-8 was accepted")
            } catch let AudienceFile.Failure.notText(path, _, badLine, badColumn, badByte) {
                #expect(path == csv)
                #expect(badLine == 2 + line)
                #expect(badColumn == 15 + column)
                #expect(badByte == byte)
            }
        }
    }

    @Test func validUTF8WithAByteOrderMarkAndFourByteCharactersReadsAsWritten() throws {
        try withTemporaryDirectory { directory in
            let csv = try write([0xEF, 0xBB, 0xBF] + Array("phone,name\n+6281234567890,José 🎉 Ñandú\n".utf8), to: "ok.csv", in: directory)
            #expect(try names(csv, encoding: nil) == ["José 🎉 Ñandú"])
        }
    }

    // MARK: Paths

    /// The issue's case: the error quoted the first line of /etc/passwd as the CSV's columns.
    @Test(arguments: ["../../../../../../../../etc/passwd", "/etc/passwd"])
    func aPathOutsideThePipelineFolderIsRefusedBeforeReading(path: String) throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("p/audiences.yaml", audienceYAML(path: path))
            let result = PipelineLoader().load(paths: [directory.url.appendingPathComponent("p").path])
            let error = try #require(result.errors.first)
            #expect(result.diagnostics.count == 1, "\(result.diagnostics)")
            #expect(error.location == SourceLocation(file: yaml, line: 8, column: 11))
            #expect(error.message.hasPrefix("CSV path \"\(path)\" is outside the pipeline folder \(DataPaths.real(directory.path))/p"))
            #expect(error.message.hasSuffix("(it resolves to /etc/passwd)"))
            let printed = result.diagnostics.map { "\($0.description) \($0.hint ?? "")" }.joined()
            #expect(!printed.contains("root:"))
        }
    }

    @Test func aSymlinkInsideThePipelineThatPointsOutsideIsRefused() throws {
        try withTemporaryDirectory { directory in
            try directory.write("outside/secret.csv", "phone,name\nroot:x:0:0,secret\n")
            let yaml = try directory.write("p/audiences.yaml", audienceYAML(path: "link.csv") + "    phoneColumn: mobile\n")
            try FileManager.default.createSymbolicLink(atPath: directory.url.appendingPathComponent("p/link.csv").path,
                                                       withDestinationPath: directory.url.appendingPathComponent("outside/secret.csv").path)
            let result = PipelineLoader().load(paths: [directory.url.appendingPathComponent("p").path])
            #expect(result.errors.count == 1)
            #expect(result.errors.first?.message.contains("is outside the pipeline folder") == true)
            #expect(result.errors.first?.location?.file == yaml)
            #expect(!result.diagnostics.contains { $0.description.contains("root:") || $0.description.contains("secret") })
        }
    }

    @Test func pathsInsideThePipelineFolderAreFineHoweverTheyAreWritten() throws {
        try withTemporaryDirectory { directory in
            try directory.write("p/data/vip.csv", "phone,name\n+6281234567890,Ana\n")
            try directory.write("p/audiences/a.yaml", audienceYAML(path: "../data/vip.csv"))
            try directory.write("p/audiences/b.yaml", audienceYAML(path: directory.path + "/p/data/./vip.csv").replacingOccurrences(of: "name: vip\n", with: "name: vip2\n"))
            // The pipeline folder itself reached through a symlink.
            try FileManager.default.createSymbolicLink(atPath: directory.url.appendingPathComponent("link").path,
                                                       withDestinationPath: directory.url.appendingPathComponent("p").path)
            for root in ["p", "link", "p/../p"] {
                let result = PipelineLoader().load(paths: [directory.url.appendingPathComponent(root).path])
                #expect(result.diagnostics.isEmpty, "\(root): \(result.diagnostics)")
                #expect(result.desired?.resources.count == 2)
            }
        }
    }

    @Test func aFileArgumentsFolderIsItsPipelineFolder() throws {
        try withTemporaryDirectory { directory in
            try directory.write("data/vip.csv", "phone,name\n+6281234567890,Ana\n")
            let yaml = try directory.write("p/audiences.yaml", audienceYAML(path: "../data/vip.csv"))
            #expect(PipelineLoader().load(paths: [yaml]).errors.first?.message.contains("outside the pipeline folder") == true)
            // Given the parent folder instead, the same file is inside.
            #expect(PipelineLoader().load(paths: [directory.path]).errors.isEmpty)
        }
    }

    @Test func aFolderTheOperatorListsMayHoldCSVs() throws {
        try withTemporaryDirectory { directory in
            let csv = try directory.write("exports/vip.csv", "phone,name\n+6281234567890,Ana\n")
            try directory.write("p/audiences.yaml", audienceYAML(path: csv))
            let pipeline = directory.url.appendingPathComponent("p").path
            #expect(PipelineLoader().load(paths: [pipeline]).errors.count == 1)
            let allowed = PipelineLoader(dataFolders: [directory.url.appendingPathComponent("exports").path]).load(paths: [pipeline])
            #expect(allowed.diagnostics.isEmpty, "\(allowed.diagnostics)")
            // A sibling whose name merely starts with the folder's is not inside it.
            let sibling = try directory.write("exports-old/vip.csv", "phone,name\n+6281234567890,Ana\n")
            try directory.write("p/audiences.yaml", audienceYAML(path: sibling))
            let refused = PipelineLoader(dataFolders: [directory.url.appendingPathComponent("exports").path]).load(paths: [pipeline])
            #expect(refused.errors.count == 1)
        }
    }

    // MARK: Phone lengths

    @Test func aNumberTooShortForItsCountryIsAnInvalidRow() throws {
        try withTemporaryDirectory { directory in
            let yaml = try directory.write("audiences.yaml", audienceYAML(path: "vip.csv"))
            let csv = try directory.write("vip.csv", "phone,name\n12345,Short\n081234567890,Fine\n")
            let result = PipelineLoader().load(paths: [yaml])
            #expect(result.errors.isEmpty)
            #expect(result.warnings == [
                .warning("invalid phone number \"12345\": +6212345 has 5 digits after country code 62, which needs 7 to 12; the row is left out",
                         at: SourceLocation(file: csv, line: 2, column: 1)),
            ])
        }
    }
}
