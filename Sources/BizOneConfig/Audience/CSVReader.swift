import Foundation

/// A streaming RFC 4180 reader that knows the line each record starts on.
///
/// Hand-written rather than taken from a CSV package because diagnostics need the source line
/// of every row (quoted fields may span lines), and audiences can be far larger than memory
/// should hold, so the file is read in chunks.
struct CSVReader {
    struct Record {
        var fields: [String]
        /// 1-based line the record starts on.
        var line: Int
        /// 1-based line and column (in characters) where each field starts, for diagnostics.
        var positions: [(line: Int, column: Int)]
    }

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1
    private var column = 1
    private var checkedByteOrderMark = false
    private(set) var hash = DigestAccumulator()

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
    }

    func close() { try? handle.close() }

    private mutating func fill() -> Bool {
        if position < buffer.count { return true }
        if atEnd { return false }
        let chunk = handle.readData(ofLength: 1 << 16)
        if chunk.isEmpty {
            atEnd = true
            return false
        }
        hash.update(chunk)
        buffer = [UInt8](chunk)
        position = 0
        if !checkedByteOrderMark {
            // Spreadsheet "CSV UTF-8" exports start with a byte-order mark; it is not part of the header.
            checkedByteOrderMark = true
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }
        return position < buffer.count || fill()
    }

    private mutating func nextByte() -> UInt8? {
        guard fill() else { return nil }
        let byte = buffer[position]
        position += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1  // count characters, not UTF-8 continuation bytes
        }
        return byte
    }

    private mutating func peekByte() -> UInt8? {
        guard fill() else { return nil }
        return buffer[position]
    }

    /// The next record, or nil at the end of the file. Blank lines are skipped.
    mutating func next() -> Record? {
        while true {
            guard peekByte() != nil else { return nil }
            let startLine = line
            var fields: [String] = []
            var positions: [(line: Int, column: Int)] = [(line, column)]
            var field: [UInt8] = []
            var quoted = false
            var fieldStarted = false
            recordLoop: while let byte = nextByte() {
                if quoted {
                    if byte == UInt8(ascii: "\"") {
                        if peekByte() == UInt8(ascii: "\"") {
                            _ = nextByte()
                            field.append(byte)
                        } else {
                            quoted = false
                        }
                    } else {
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""):
                    if !fieldStarted && field.isEmpty { quoted = true; fieldStarted = true } else { field.append(byte) }
                case UInt8(ascii: ","):
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    fieldStarted = false
                    positions.append((line, column))
                case UInt8(ascii: "\r"):
                    continue
                case UInt8(ascii: "\n"):
                    break recordLoop
                default:
                    field.append(byte)
                    fieldStarted = true
                }
            }
            fields.append(String(decoding: field, as: UTF8.self))
            if fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            return Record(fields: fields, line: startLine, positions: positions)
        }
    }

    /// Reads the rest of the file (so the digest covers all of it) and returns the digest.
    mutating func finishDigest() -> String {
        while fill() { position = buffer.count }
        return hash.finish()
    }
}
