import BizOneModel
import Foundation

/// Reads an audience CSV: normalises phones, collapses duplicates, notes opt-outs and reports
/// every invalid row by line. Used by the loader (to check and hash) and by apply (to import),
/// so both see exactly the same rows.
public enum AudienceFile {
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    public struct Summary: Sendable, Hashable {
        public var digest: String
        public var rows = 0
        public var valid = 0
        public var duplicates = 0
        public var optedOut = 0
        public var invalid: [Row] = []
        /// Unique contacts after duplicates were collapsed.
        public var unique: Int { valid - duplicates }
    }

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String)
        case missingColumn(String, available: [String])
        case empty

        public var description: String {
            switch self {
            case .unreadable(let path): return "cannot read CSV file \(path)"
            case .missingColumn(let column, let available):
                return "CSV has no column \"\(column)\" (columns: \(available.joined(separator: ", ")))"
            case .empty: return "CSV file is empty; it needs a header row"
            }
        }
    }

    static let truthy: Set<String> = ["true", "yes", "y", "1", "x"]

    /// Scans the file; `visit` receives each unique contact (first occurrence wins; an opt-out in
    /// any duplicate row marks the contact opted out, and is reported once at the end).
    public static func scan(path: String, source: AudienceSpec.CSVSource, defaultCountryCode: String?,
                            visit: ((AudienceContact) -> Void)? = nil) throws -> Summary {
        var reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw Failure.unreadable(path) }
        defer { reader.close() }
        guard let header = reader.next() else { throw Failure.empty }
        let columns = header.fields.map { $0.trimmedASCII }
        guard let phoneIndex = columns.firstIndex(of: source.phoneColumn) else {
            throw Failure.missingColumn(source.phoneColumn, available: columns)
        }
        let nameIndex = columns.firstIndex(of: source.nameColumn)
        let optOutIndex = columns.firstIndex(of: source.optOutColumn)
        let attributeIndexes = columns.indices.filter { $0 != phoneIndex && $0 != nameIndex && $0 != optOutIndex && !columns[$0].isEmpty }

        var summary = Summary(digest: "")
        var seen: [String: Int] = [:]  // phone -> position in `contacts`
        var contacts: [AudienceContact] = []
        while let record = reader.next() {
            summary.rows += 1
            let raw = phoneIndex < record.fields.count ? record.fields[phoneIndex] : ""
            guard let phone = PhoneNumber.normalize(raw, defaultCountryCode: defaultCountryCode) else {
                let start = phoneIndex < record.positions.count ? record.positions[phoneIndex] : (line: record.line, column: 1)
                let message = raw.trimmedASCII.isEmpty
                    ? "row has no phone number"
                    : "invalid phone number \"\(raw)\"" + (defaultCountryCode == nil && !raw.hasPrefix("+") ? " (no '+' and no defaultCountryCode)" : "")
                summary.invalid.append(Row(line: start.line, column: start.column, message: message))
                continue
            }
            summary.valid += 1
            let optedOut = optOutIndex.map { $0 < record.fields.count && truthy.contains(record.fields[$0].trimmedASCII.lowercased()) } ?? false
            if let existing = seen[phone] {
                summary.duplicates += 1
                if optedOut { contacts[existing].optedOut = true }
                continue
            }
            var attributes: [String: String] = [:]
            for index in attributeIndexes where index < record.fields.count {
                let value = record.fields[index].trimmedASCII
                if !value.isEmpty { attributes[columns[index]] = value }
            }
            let name = nameIndex.flatMap { $0 < record.fields.count ? record.fields[$0].trimmedASCII : nil }
            seen[phone] = contacts.count
            contacts.append(AudienceContact(phone: phone, name: name?.isEmpty == false ? name : nil, attributes: attributes,
                                            optedOut: optedOut, sourceLine: record.line))
        }
        summary.optedOut = contacts.filter(\.optedOut).count
        summary.digest = reader.finishDigest()
        if let visit { contacts.forEach(visit) }
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
