import Foundation
import TestSupport

/// A plain TCP connection to a loopback port, for clients no HTTP library would be: half-sent
/// headers, a body that stops, a body trickled a byte at a time, HTTP/1.0.
///
/// Every blocking socket call runs on a `Thread` of its own and is bridged with a continuation,
/// so the tests never block a thread of Swift's cooperative pool (which also serves HTTP
/// in-process for other suites). Reads wait at most `eventCeiling` (`SO_RCVTIMEO`): a server that
/// never closes fails the test instead of hanging it.
final class RawConnection: Sendable {
    /// What the server did to the connection while we waited for it to end.
    struct Ending: Sendable {
        /// Everything the server sent until the end.
        var received: [UInt8]
        /// How long after the wait began the end came.
        var after: Duration
        var text: String { String(decoding: received, as: UTF8.self) }
    }

    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// Connects to `127.0.0.1:port`.
    static func open(port: Int) async throws -> RawConnection {
        try await offPool("RawConnection") {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw RawConnectionError("socket", errno: errno) }
            var timeout = timeval(tv_sec: Int(eventCeiling.components.seconds), tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                let code = errno
                close(descriptor)
                throw RawConnectionError("connect to 127.0.0.1:\(port)", errno: code)
            }
            return RawConnection(descriptor: descriptor)
        }
    }

    /// Sends all of `text`.
    func write(_ text: String) async throws { try await write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) async throws {
        let descriptor = self.descriptor
        try await offPool("RawConnection") { try Self.sendAll(bytes, on: descriptor) }
    }

    /// Reads until the server closes the connection (a read returns 0) or resets it.
    func end() async throws -> Ending {
        let descriptor = self.descriptor
        return try await offPool("RawConnection") {
            let started = ContinuousClock.now
            let received = try Self.readToEnd(descriptor)
            return Ending(received: received, after: started.duration(to: .now))
        }
    }

    /// Sends `bytes` one at a time, `pause` apart, until the server closes the connection; returns
    /// how many it took and the ending. Throws if every byte went out and the server still had
    /// not closed it.
    func trickle(_ bytes: [UInt8], pause: Duration) async throws -> (sent: Int, ending: Ending) {
        let descriptor = self.descriptor
        let pauseMilliseconds = Int32(pause.components.seconds * 1000 + pause.components.attoseconds / 1_000_000_000_000_000)
        return try await offPool("RawConnection") {
            let started = ContinuousClock.now
            var sent = 0
            for byte in bytes {
                // The pause doubles as the check: the server closing makes the socket readable.
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                if poll(&poller, 1, pauseMilliseconds) > 0 { break }
                do { try Self.sendAll([byte], on: descriptor) } catch let error as RawConnectionError where error.isClosed { break }
                sent += 1
            }
            guard sent < bytes.count else {
                throw RawConnectionError("trickling \(bytes.count) bytes: the server read them all without closing", errno: 0)
            }
            let received = try Self.readToEnd(descriptor)
            return (sent, Ending(received: received, after: started.duration(to: .now)))
        }
    }

    /// Closes our side: the client hangs up.
    func hangUp() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    // MARK: Blocking helpers (on the connection's thread only)

    /// Everything until the end of the connection (0 from a read, or a reset).
    private static func readToEnd(_ descriptor: Int32) throws -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 || errno == ECONNRESET {
                return received
            } else if errno != EINTR {
                // EAGAIN here is SO_RCVTIMEO: the ceiling passed with the connection still open.
                throw RawConnectionError("waiting for the server to close (\(received.count) bytes so far: "
                                         + "\(String(decoding: received, as: UTF8.self)))", errno: errno)
            }
        }
    }

    /// A closed peer is an error from `send`, not a SIGPIPE that ends the test process.
    #if os(Linux)
    private static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    private static let noSignal: Int32 = 0
    #endif

    private static func sendAll(_ bytes: [UInt8], on descriptor: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, noSignal) }
            if count < 0 {
                if errno == EINTR { continue }
                throw RawConnectionError("send", errno: errno)
            }
            offset += count
        }
    }
}

struct RawConnectionError: Error, CustomStringConvertible {
    var operation: String
    var code: Int32

    init(_ operation: String, errno code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// The peer closed or reset the connection.
    var isClosed: Bool { code == EPIPE || code == ECONNRESET }

    var description: String { code == 0 ? operation : "\(operation): \(String(cString: strerror(code))) (errno \(code))" }
}
