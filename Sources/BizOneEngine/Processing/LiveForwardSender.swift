import AsyncHTTPClient
import Foundation
import NIOCore

/// The production `ForwardSender` on AsyncHTTPClient (`HTTPClient.shared` unless given one).
public struct LiveForwardSender: ForwardSender {
    let client: HTTPClient
    /// Receivers' answers are read and dropped; larger ones are cut off.
    var maxResponseBytes = 64 * 1024

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public func post(url: String, headers: [(String, String)], body: Data, timeout: Duration) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let components = timeout.components
        let nanoseconds = max(1_000_000, components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)
        let response = try await client.execute(request, timeout: .nanoseconds(nanoseconds))
        _ = try? await response.body.collect(upTo: maxResponseBytes)
        return Int(response.status.code)
    }
}
