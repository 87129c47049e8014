import AsyncHTTPClient
import Foundation
import Hummingbird
import MetaGraph
import Testing

/// Bodies above `maxBodyBytes` are refused with 413 and change nothing.
@Suite struct LimitTests {
    static let limit = 3 * 1024 * 1024

    /// A signed envelope padded with spaces to exactly `size` bytes.
    static func paddedEnvelope(size: Int) -> Data {
        var body = Fixtures.compactText
        body.append(Data(repeating: UInt8(ascii: " "), count: size - body.count))
        return body
    }

    @Test func oneByteOverTheLimitIsRefused() async throws {
        let body = Self.paddedEnvelope(size: Self.limit + 1)
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let reply = try await h.post(body)
            #expect(reply.status == 413)
            #expect(try h.events().isEmpty)
            #expect(await h.writer.batchesWritten == 0)
            // The connection pool still works afterwards.
            #expect(try await h.get("/api/health").status == 200)
        }
    }

    @Test func exactlyTheLimitIsAccepted() async throws {
        let body = Self.paddedEnvelope(size: Self.limit)
        try await ServerHarness.run { (h: ServerHarness) async throws in
            let reply = try await h.post(body)
            #expect(reply.status == 200)
            #expect(try h.events().map(\.body) == [body])
        }
    }

    @Test func chunkedBodyOverTheLimitIsRefused() async throws {
        // No Content-Length: the limit is enforced while reading.
        let body = Self.paddedEnvelope(size: Self.limit + 1)
        try await ServerHarness.run { (h: ServerHarness) async throws in
            var request = HTTPClientRequest(url: h.baseURL + ServerHarness.path)
            request.method = .POST
            request.headers.add(name: WebhookSignature.header, value: WebhookSignature.sign(body, secret: ServerHarness.appSecret))
            let chunks = stride(from: 0, to: body.count, by: 64 * 1024).map { ByteBuffer(bytes: body[$0..<min($0 + 64 * 1024, body.count)]) }
            request.body = .stream(chunks.async, length: .unknown)
            let reply = try await h.send(request)
            #expect(reply.status == 413)
            #expect(try h.events().isEmpty)
        }
    }

    @Test func aSmallerConfiguredLimitApplies() async throws {
        try await ServerHarness.run(configure: { $0.maxBodyBytes = 100 }) { (h: ServerHarness) async throws in
            #expect(try await h.post(Fixtures.compactText).status == 413)
            #expect(try h.events().isEmpty)
        }
    }
}

/// An array as an AsyncSequence, for streamed request bodies.
struct AsyncArray<Element: Sendable>: AsyncSequence, Sendable {
    let elements: [Element]

    struct AsyncIterator: AsyncIteratorProtocol {
        var index = 0
        let elements: [Element]
        mutating func next() async -> Element? {
            guard index < elements.count else { return nil }
            defer { index += 1 }
            return elements[index]
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(elements: elements) }
}

extension Array where Element: Sendable {
    var async: AsyncArray<Element> { AsyncArray(elements: self) }
}
