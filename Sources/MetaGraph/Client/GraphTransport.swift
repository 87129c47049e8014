import AsyncHTTPClient
import BizOneModel
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP exchange, nothing more: the seam between `LiveGraphClient` (URLs, auth, errors,
/// retries) and the network, so unit tests can script answers.
///
/// Implementations answer every HTTP status normally and throw only when no complete answer
/// arrived: `GraphTransportFailure` says whether the request may have reached the server,
/// `CancellationError` when the task was cancelled.
protocol GraphTransport: Sendable {
    func execute(method: String, url: String, headers: [(String, String)], body: Data?,
                 timeout: Double) async throws -> (status: Int, headers: [(String, String)], body: Data)
}

/// Why a transport gave no answer.
struct GraphTransportFailure: Error, Sendable, Hashable {
    /// `.network` or `.timeout`.
    var kind: GraphError.Kind
    /// False only when the request certainly was not written (connect refused or timed out,
    /// DNS failure, no pooled connection in time). When true, a send's outcome is unknown.
    var requestMayHaveBeenSent: Bool
    var reason: String
    /// No connection could be made at all (refused, unknown host, connect timed out).
    var unreachable = false

    static func notSent(_ kind: GraphError.Kind, _ reason: String) -> GraphTransportFailure {
        GraphTransportFailure(kind: kind, requestMayHaveBeenSent: false, reason: reason)
    }

    static func unreachable(_ kind: GraphError.Kind, _ reason: String) -> GraphTransportFailure {
        GraphTransportFailure(kind: kind, requestMayHaveBeenSent: false, reason: reason, unreachable: true)
    }

    static func afterSend(_ kind: GraphError.Kind, _ reason: String) -> GraphTransportFailure {
        GraphTransportFailure(kind: kind, requestMayHaveBeenSent: true, reason: reason)
    }
}

/// The production transport on AsyncHTTPClient.
struct AsyncHTTPClientTransport: GraphTransport {
    let client: HTTPClient
    /// Larger answers are abandoned (Graph answers are small; a template page is tens of KB).
    var maxResponseBytes = 16 * 1024 * 1024

    func execute(method: String, url: String, headers: [(String, String)], body: Data?,
                 timeout: Double) async throws -> (status: Int, headers: [(String, String)], body: Data) {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let nanoseconds = Int64(min(max(timeout, 0.001), 86_400) * 1e9)
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(nanoseconds))
            var buffer = try await response.body.collect(upTo: maxResponseBytes)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            return (Int(response.status.code), response.headers.map { ($0.name, $0.value) }, Data(bytes))
        } catch {
            throw Self.classify(error, timeout: timeout)
        }
    }

    /// Maps AsyncHTTPClient/NIO errors onto "was the request possibly written?".
    static func classify(_ error: any Error, timeout: Double) -> any Error {
        if error is CancellationError { return error }
        let seconds = GraphError.format(timeout)
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled:
                return CancellationError()
            case .connectTimeout, .tlsHandshakeTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
                return GraphTransportFailure.unreachable(.timeout, "could not connect within \(seconds) s (\(error))")
            case .getConnectionFromPoolTimeout:
                return GraphTransportFailure.notSent(.timeout, "no connection available within \(seconds) s")
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return GraphTransportFailure.afterSend(.timeout, "no answer within \(seconds) s")
            case .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown, .missingSocketPath:
                return GraphTransportFailure.notSent(.network, "\(error)")
            case .remoteConnectionClosed:
                return GraphTransportFailure.afterSend(.network, "the server closed the connection before answering")
            default:
                return GraphTransportFailure.afterSend(.network, "\(error)")
            }
        }
        if let error = error as? ChannelError, case .connectTimeout(let amount) = error {
            return GraphTransportFailure.unreachable(
                .timeout, "could not connect within \(GraphError.format(Double(amount.nanoseconds) / 1e9)) s")
        }
        if let error = error as? NIOConnectionError {
            return GraphTransportFailure.unreachable(.network, "could not connect: \(describe(error))")
        }
        if error is SocketAddressError {
            return GraphTransportFailure.unreachable(.network, "could not resolve the host: \(error)")
        }
        if let error = error as? IOError, Self.connectErrnos.contains(error.errnoCode) {
            return GraphTransportFailure.unreachable(.network, "could not connect: \(SystemErrorText.describe(errno: error.errnoCode))")
        }
        return GraphTransportFailure.afterSend(.network, "\(error)")
    }

    /// The causes NIO collected while trying every address of the host, in words.
    static func describe(_ error: NIOConnectionError) -> String {
        var causes: [String] = []
        if error.dnsAError != nil && error.dnsAAAAError != nil { causes.append("no address found for \(error.host)") }
        for attempt in error.connectionErrors {
            if let io = attempt.error as? IOError {
                causes.append("\(attempt.target): \(SystemErrorText.describe(errno: io.errnoCode))")
            } else {
                causes.append("\(attempt.target): \(attempt.error)")
            }
        }
        return causes.isEmpty ? "\(error)" : causes.joined(separator: "; ")
    }

    /// errno values that only a connect() produces.
    static let connectErrnos: Set<Int32> = [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL]
}
