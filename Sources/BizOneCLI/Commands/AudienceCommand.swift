import ArgumentParser
import BizOneConfig
import BizOneModel
import BizOneStore
import Foundation

/// `bizone audience show NAME [PATH...]`: who an audience reaches.
struct AudienceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audience",
        abstract: "Inspect audiences: counts, invalid rows and a sample of recipients.",
        subcommands: [AudienceShowCommand.self])
}

struct AudienceShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an audience's counts (rows, valid, duplicates, opted out, excluded, final), its invalid rows and a sample.",
        discussion: """
            The audience is read from the pipeline files and evaluated against the state: opt-outs \
            and the contacts a filter matches come from the state. When the declared audience is \
            not applied yet, or differs from what was applied, the counts are a preview of what \
            applying it would give; the state is not changed.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The audience's name (metadata.name).")
    var name: String

    @Argument(help: "Pipeline files or directories (default: pipelines).")
    var paths: [String] = []

    @Option(name: .long, help: "How many recipients to show.")
    var sample: Int = 10

    @Option(name: .long, help: "How many invalid rows to list (all are counted).")
    var invalidLimit: Int = 100

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        guard sample >= 0 else { throw ValidationError("--sample must be 0 or more") }
        guard invalidLimit >= 0 else { throw ValidationError("--invalid-limit must be 0 or more") }
    }

    func run() throws {
        _ = global.logger("bizone.audience")
        let terminal = global.terminal
        let result = DesiredLoader.loader.load(paths: paths.isEmpty ? DesiredLoader.defaultPaths : paths)
        // The CSV's invalid rows are listed below; other problems are printed as usual.
        let rowWarnings = result.diagnostics.filter { $0.severity == .warning && $0.message.hasSuffix("; the row is left out") }
        DiagnosticPrinter.print(result.diagnostics.filter { !rowWarnings.contains($0) }, terminal: terminal)
        guard let desired = result.desired else { throw ExitCode(1) }
        let id = ResourceID(kind: .audience, name: name)
        guard let resource = desired[id], case .audience(let spec) = resource.spec else {
            let known = desired.resources(of: .audience).map(\.id.name)
            throw ValidationError("no audience \"\(name)\" is declared" + (known.isEmpty ? "" : " (audiences: \(known.joined(separator: ", ")))"))
        }

        let store = try StateAccess.existingOrEmpty(global)
        let applied = try store.appliedResource(id)
        let source: AudienceReport.Source = applied == nil ? .notApplied
            : applied?.contentHash == resource.contentHash ? .state(applied!.appliedAt) : .changed
        let rows = AudienceRows(spec, inputs: resource.inputs, checkDigest: false)
        let now = Date()
        let preview: AudiencePreview
        let summary: AudienceFile.Summary?
        switch source {
        case .state:
            preview = try store.audiencePreview(name, spec: spec, now: now, sample: sample)
            if let csv = spec.csv, let path = rows.csvPath {
                summary = try AudienceFile.scan(path: path, source: csv, defaultCountryCode: rows.defaultCountryCode)
            } else {
                summary = nil
            }
        case .notApplied, .changed:
            preview = try store.previewAudience(name, spec: spec, rows: rows, now: now, sample: sample)
            summary = rows.summary
        }
        let report = AudienceReport(name: name, source: source, counts: preview.counts, csv: rows.csvPath,
                                    invalid: Array((summary?.invalid ?? []).prefix(invalidLimit)),
                                    sample: preview.sample)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text(terminal: terminal))
        }
    }
}

/// What `audience show` prints.
struct AudienceReport: Encodable {
    enum Source: Encodable {
        /// Applied and unchanged: counts from the state.
        case state(Date)
        /// Declared but never applied: a preview.
        case notApplied
        /// Applied, but the declaration (or its CSV) changed since: a preview.
        case changed

        var text: String {
            switch self {
            case .state(let at): return "applied \(Timestamps.format(at))"
            case .notApplied: return "not applied yet; a preview of what apply would import"
            case .changed: return "changed since it was applied; a preview of what apply would import"
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .state: try container.encode("state")
            case .notApplied: try container.encode("preview-not-applied")
            case .changed: try container.encode("preview-changed")
            }
        }
    }

    struct InvalidRow: Encodable {
        var file: String
        var line: Int
        var column: Int
        var message: String
    }

    var name: String
    var source: Source
    var counts: AudienceCounts
    var invalid: [InvalidRow]
    var sample: [AudienceRecipient]

    init(name: String, source: Source, counts: AudienceCounts, csv: String?, invalid: [AudienceFile.Row], sample: [AudienceRecipient]) {
        self.name = name
        self.source = source
        self.counts = counts
        let file = csv.map(Self.displayPath) ?? ""
        self.invalid = invalid.map { InvalidRow(file: file, line: $0.line, column: $0.column, message: $0.message) }
        self.sample = sample
    }

    func text(terminal: Terminal) -> String {
        var lines = [terminal.bold("audience/\(name)") + "  " + terminal.dim("(\(source.text))"), ""]
        let figures: [(String, Int)] = [
            ("rows", counts.rows), ("valid", counts.valid), ("invalid", counts.invalid), ("duplicates", counts.duplicates),
            ("contacts", counts.contacts), ("opted out", counts.optedOut), ("excluded", counts.excluded), ("final", counts.final),
        ]
        let width = figures.map { Self.grouped($0.1).count }.max() ?? 1
        for (label, value) in figures {
            let number = Self.grouped(value)
            let padded = String(repeating: " ", count: width - number.count) + number
            lines.append("  " + label.padding(toLength: 12, withPad: " ", startingAt: 0) + (label == "final" ? terminal.bold(padded) : padded))
        }
        if counts.invalid > 0 {
            lines.append("")
            lines.append(terminal.bold("Invalid rows") + " (\(Self.grouped(counts.invalid)), left out):")
            for row in invalid {
                lines.append("  \(row.file):\(row.line):\(row.column): \(row.message)")
            }
            if counts.invalid > invalid.count {
                lines.append(terminal.dim("  ... and \(Self.grouped(counts.invalid - invalid.count)) more"))
            }
        }
        lines.append("")
        if sample.isEmpty {
            lines.append(terminal.dim("No recipients."))
        } else {
            lines.append(terminal.bold("Sample") + " (first \(sample.count) by phone number):")
            var table = TextTable(["PHONE", "NAME", "ATTRIBUTES"])
            for recipient in sample {
                let attributes = recipient.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                table.add([recipient.phone, recipient.name ?? "-", attributes])
            }
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }

    /// 4450 -> "4,450".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { text += "," }
            text.append(character)
        }
        return (value < 0 ? "-" : "") + text
    }

    /// A path under the working directory, relative to it; others as they are.
    static func displayPath(_ path: String) -> String {
        let directory = FileManager.default.currentDirectoryPath
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
