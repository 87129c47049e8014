import BizOneModel
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming RFC 4180 reader that knows the line each record starts on.
///
/// Hand-written rather than taken from a CSV package because diagnostics need the source line
/// of every row (quoted fields may span lines), and audiences can be far larger than memory
/// should hold, so the file is read in chunks.
///
/// Text is decoded in the audience's declared encoding, never guessed and never patched with
/// replacement characters: a byte that is not valid UTF-8 stops the read with its line and
/// column, so `José` cannot reach a customer as `Jos�`.
struct CSVReader {
    struct Record {
        var fields: [String]
        /// 1-based line the record starts on.
        var line: Int
        /// 1-based line and column (in characters) where each field starts, for diagnostics.
        var positions: [(line: Int, column: Int)]
    }

    private let path: String
    private let encoding: AudienceSpec.TextEncoding
    /// Where the bytes come from: the file (the product) or memory (the fuzz target).
    private enum Input {
        case file(FileHandle)
        case memory(Data)
    }

    private var input: Input
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1
    private var column = 1
    private var checkedByteOrderMark = false
    private var utf8 = UTF8Validator()
    /// The first byte that is not valid UTF-8, reported once the record holding it is read.
    private var badByte: (line: Int, column: Int, byte: UInt8)?
    private(set) var hash = DigestAccumulator()

    init(path: String, encoding: AudienceSpec.TextEncoding = .utf8) throws {
        self.path = path
        self.encoding = encoding
        input = .file(try Self.openRegularFile(path))
    }

    /// Reads `data` as if it were the file at `path` (named in errors).
    init(data: Data, path: String, encoding: AudienceSpec.TextEncoding = .utf8) {
        self.path = path
        self.encoding = encoding
        input = .memory(data)
    }

    func close() {
        if case .file(let handle) = input { try? handle.close() }
    }

    /// The next chunk, nil at the end.
    private mutating func readChunk() throws -> Data? {
        switch input {
        case .file(let handle):
            return try handle.read(upToCount: 1 << 16)
        case .memory(let data):
            guard !data.isEmpty else { return nil }
            let chunk = data.prefix(1 << 16)
            input = .memory(data.dropFirst(chunk.count))
            return chunk
        }
    }

    /// Opens `path` for reading only when it is a regular file. A directory opens fine on
    /// Linux and fails on the first read, a FIFO blocks until someone writes, `/dev/zero`
    /// never ends: all are refused before a byte is read. Opened non-blocking so a FIFO cannot
    /// hang the open itself, then checked on the descriptor (no race with a swapped path).
    private static func openRegularFile(_ path: String) throws -> FileHandle {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw AudienceFile.Failure.unreadable(path, reason: String(cString: strerror(errno)))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            closeDescriptor(descriptor)
            throw AudienceFile.Failure.unreadable(path, reason: reason)
        }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else {
            closeDescriptor(descriptor)
            let kind: String
            switch type {
            case S_IFDIR: kind = "a directory"
            case S_IFIFO: kind = "a named pipe"
            case S_IFCHR, S_IFBLK: kind = "a device"
            case S_IFSOCK: kind = "a socket"
            default: kind = "not a regular file"
            }
            throw AudienceFile.Failure.notAFile(path, kind: kind)
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// The C `close`, which this type's own `close()` hides.
    private static func closeDescriptor(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }

    private mutating func fill() throws -> Bool {
        while position >= buffer.count {
            if atEnd { return false }
            let chunk: Data?
            do {
                chunk = try readChunk()
            } catch {
                throw AudienceFile.Failure.unreadable(path, reason: Self.reason(error))
            }
            guard let chunk, !chunk.isEmpty else {
                atEnd = true
                if encoding == .utf8, badByte == nil { badByte = utf8.unfinished }
                return false
            }
            hash.update(chunk)
            buffer = [UInt8](chunk)
            position = 0
            if !checkedByteOrderMark {
                // Spreadsheet "CSV UTF-8" exports start with a byte-order mark; it is not part of the header.
                checkedByteOrderMark = true
                if encoding == .utf8, buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
            }
        }
        return true
    }

    private mutating func nextByte() throws -> UInt8? {
        guard try fill() else { return nil }
        let byte = buffer[position]
        position += 1
        if encoding != .utf8 {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            return byte
        }
        if let bad = utf8.accept(byte, at: (line, column)), badByte == nil { badByte = bad }
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1  // count characters, not UTF-8 continuation bytes
        }
        return byte
    }

    private mutating func peekByte() throws -> UInt8? {
        guard try fill() else { return nil }
        return buffer[position]
    }

    /// The next record, or nil at the end of the file. Blank lines are skipped. Throws
    /// `AudienceFile.Failure.notText` at the first byte that is not valid in the encoding.
    mutating func next() throws -> Record? {
        while true {
            guard try peekByte() != nil else {
                try throwIfBadText()
                return nil
            }
            let startLine = line
            var fields: [String] = []
            var positions: [(line: Int, column: Int)] = [(line, column)]
            var field: [UInt8] = []
            var quoted = false
            var fieldStarted = false
            recordLoop: while let byte = try nextByte() {
                if quoted {
                    if byte == UInt8(ascii: "\"") {
                        if try peekByte() == UInt8(ascii: "\"") {
                            _ = try nextByte()
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
                    fields.append(text(field))
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
            fields.append(text(field))
            try throwIfBadText()
            if fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            return Record(fields: fields, line: startLine, positions: positions)
        }
    }

    /// Reads the rest of the file (so the digest covers all of it) and returns the digest.
    mutating func finishDigest() throws -> String {
        while try fill() { position = buffer.count }
        return hash.finish()
    }

    private func throwIfBadText() throws {
        guard let badByte else { return }
        throw AudienceFile.Failure.notText(path, encoding: encoding, line: badByte.line, column: badByte.column, byte: badByte.byte)
    }

    /// A field's bytes as text in the file's encoding. UTF-8 was validated byte by byte on the
    /// way in, so decoding here never substitutes anything.
    private func text(_ bytes: [UInt8]) -> String {
        switch encoding {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .latin1:
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: bytes.lazy.map { Unicode.Scalar($0) })
            return String(scalars)
        case .windows1252:
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: bytes.lazy.map(Windows1252.scalar))
            return String(scalars)
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain,
           let code = Int32(exactly: posix.code) {
            return String(cString: strerror(code))
        }
        if (error as NSError).domain == NSPOSIXErrorDomain, let code = Int32(exactly: (error as NSError).code) {
            return String(cString: strerror(code))
        }
        return error.localizedDescription
    }
}
