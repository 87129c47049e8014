import BizOneModel
import Foundation

/// Reads an audience CSV: normalises phones, notes opt-outs and reports invalid rows by line.
/// Used by the loader (to check and hash) and by apply (to import), so both see exactly the
/// same rows.
///
/// Memory does not grow with the file: rows are streamed, duplicates are left to the store
/// (which collapses them in SQLite), and only the first `invalidRowLimit` invalid rows are
/// kept (the rest are counted).
public enum AudienceFile {
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    public struct Summary: Sendable, Hashable {
        public var digest: String
        /// Data rows (the header and blank lines are not rows).
        public var rows = 0
        /// Rows with a usable phone number, duplicates included.
        public var valid = 0
        /// The first invalid rows, in file order (at most the scan's limit).
        public var invalid: [Row] = []
        /// Every invalid row, listed or not.
        public var invalidCount = 0
        /// Invalid rows counted but not listed.
        public var unlistedInvalid: Int { invalidCount - invalid.count }
    }

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String, reason: String)
        /// A directory, a FIFO, a device: reading one would fail, block or never end.
        case notAFile(String, kind: String)
        /// A byte that is not valid in the declared encoding (only UTF-8 can be invalid), at
        /// the line and column (in characters) where its character starts.
        case notText(String, encoding: AudienceSpec.TextEncoding, line: Int, column: Int, byte: UInt8)
        case missingColumn(String, available: [String])
        case empty
        /// The file's content is not what was planned.
        case changed(String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): return "cannot read CSV file \(path): \(reason)"
            case .notAFile(let path, let kind): return "CSV path \(path) is \(kind), not a file"
            case .notText(let path, let encoding, let line, let column, let byte):
                return "\(path):\(line):\(column): " + Self.notTextMessage(encoding: encoding, byte: byte)
            case .missingColumn(let column, let available):
                return "CSV has no column \"\(column)\" (columns: \(available.joined(separator: ", ")))"
            case .empty: return "CSV file is empty; it needs a header row"
            case .changed(let path): return "CSV file \(path) changed since it was planned"
            }
        }

        static func notTextMessage(encoding: AudienceSpec.TextEncoding, byte: UInt8) -> String {
            "CSV file is not valid \(encoding == .utf8 ? "UTF-8" : encoding.rawValue) (byte 0x\(String(byte, radix: 16, uppercase: true)))"
        }

        /// What to do about `notText`.
        public static let notTextHint = "save the file as UTF-8, or declare the encoding it has: csv.encoding: latin1 (or windows1252)"
    }

    /// How many invalid rows a scan lists by default; more are only counted.
    public static let invalidRowLimit = 10_000

    static let truthy: Set<String> = ["true", "yes", "y", "1", "x"]

    /// Scans the file for its counts, invalid rows and digest.
    public static func scan(path: String, source: AudienceSpec.CSVSource, defaultCountryCode: String?,
                            invalidLimit: Int = invalidRowLimit) throws -> Summary {
        try scanRows(path: path, source: source, defaultCountryCode: defaultCountryCode, invalidLimit: invalidLimit, visit: nil)
    }

    /// Scans the file and hands every valid row to `visit` as it is read, duplicates included
    /// (the import collapses them). An error thrown by `visit` ends the scan.
    public static func scan(path: String, source: AudienceSpec.CSVSource, defaultCountryCode: String?,
                            invalidLimit: Int = invalidRowLimit, visit: (AudienceContact) throws -> Void) throws -> Summary {
        try withoutActuallyEscaping(visit) { visit in
            try scanRows(path: path, source: source, defaultCountryCode: defaultCountryCode, invalidLimit: invalidLimit, visit: visit)
        }
    }

    /// Scans CSV bytes held in memory as the file `path` would be scanned (the fuzz target):
    /// the same rows, checks and counts.
    public static func scan(data: Data, path: String, source: AudienceSpec.CSVSource, defaultCountryCode: String?,
                            invalidLimit: Int = invalidRowLimit, visit: (AudienceContact) throws -> Void) throws -> Summary {
        var reader = CSVReader(data: data, path: path, encoding: source.encoding ?? .utf8)
        return try withoutActuallyEscaping(visit) { visit in
            try scanRows(&reader, source: source, defaultCountryCode: defaultCountryCode, invalidLimit: invalidLimit, visit: visit)
        }
    }

    private static func scanRows(path: String, source: AudienceSpec.CSVSource, defaultCountryCode: String?, invalidLimit: Int,
                                 visit: ((AudienceContact) throws -> Void)?) throws -> Summary {
        var reader = try CSVReader(path: path, encoding: source.encoding ?? .utf8)
        defer { reader.close() }
        return try scanRows(&reader, source: source, defaultCountryCode: defaultCountryCode, invalidLimit: invalidLimit, visit: visit)
    }

    private static func scanRows(_ reader: inout CSVReader, source: AudienceSpec.CSVSource, defaultCountryCode: String?,
                                 invalidLimit: Int, visit: ((AudienceContact) throws -> Void)?) throws -> Summary {
        guard let header = try reader.next() else { throw Failure.empty }
        let columns = header.fields.map { $0.trimmedASCII }
        guard let phoneIndex = columns.firstIndex(of: source.phoneColumn) else {
            throw Failure.missingColumn(source.phoneColumn, available: columns)
        }
        let nameIndex = columns.firstIndex(of: source.nameColumn)
        let optOutIndex = columns.firstIndex(of: source.optOutColumn)
        let attributeIndexes = columns.indices.filter { $0 != phoneIndex && $0 != nameIndex && $0 != optOutIndex && !columns[$0].isEmpty }

        var summary = Summary(digest: "")
        while let record = try reader.next() {
            summary.rows += 1
            let raw = phoneIndex < record.fields.count ? record.fields[phoneIndex] : ""
            guard let phone = PhoneNumber.normalize(raw, defaultCountryCode: defaultCountryCode) else {
                summary.invalidCount += 1
                guard summary.invalid.count < invalidLimit else { continue }
                let start = phoneIndex < record.positions.count ? record.positions[phoneIndex] : (line: record.line, column: 1)
                let message: String
                if raw.trimmedASCII.isEmpty {
                    message = "row has no phone number"
                } else if let problem = PhoneNumber.lengthProblem(raw, defaultCountryCode: defaultCountryCode) {
                    message = "invalid phone number \"\(raw)\": \(problem)"
                } else {
                    message = "invalid phone number \"\(raw)\"" + (defaultCountryCode == nil && !raw.hasPrefix("+") ? " (no '+' and no defaultCountryCode)" : "")
                }
                summary.invalid.append(Row(line: start.line, column: start.column, message: message))
                continue
            }
            summary.valid += 1
            guard let visit else { continue }
            let optedOut = optOutIndex.map { $0 < record.fields.count && truthy.contains(record.fields[$0].trimmedASCII.lowercased()) } ?? false
            var attributes: [String: String] = [:]
            for index in attributeIndexes where index < record.fields.count {
                let value = record.fields[index].trimmedASCII
                if !value.isEmpty { attributes[columns[index]] = value }
            }
            let name = nameIndex.flatMap { $0 < record.fields.count ? record.fields[$0].trimmedASCII : nil }
            try visit(AudienceContact(phone: phone, name: name?.isEmpty == false ? name : nil, attributes: attributes,
                                      optedOut: optedOut, sourceLine: record.line))
        }
        summary.digest = try reader.finishDigest()
        return summary
    }
}

extension String {
    /// Spaces and tabs trimmed from both ends, without Foundation's per-call bridging cost.
    var trimmedASCII: String {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        if first == bytes.startIndex && last == bytes.index(before: bytes.endIndex) { return self }
        return String(self[first...last])
    }
}
