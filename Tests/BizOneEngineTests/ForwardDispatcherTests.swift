import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import MetaGraph
import Testing
import TestSupport

@Suite struct ForwardDispatcherTests {
    struct Post: Sendable {
        var url: String
        var headers: [String: String]
        var body: Data
    }

    struct ConnectionRefused: Error, CustomStringConvertible {
        var description: String { "connection refused" }
    }

    /// A receiver that answers with the scripted results in turn (nil: a network error), then 200.
    static func sender(_ script: [Int?], posts: Recorder<Post>) -> ClosureForwardSender {
        ClosureForwardSender { url, headers, body, _ in
            let attempt = posts.all.count
            posts.append(Post(url: url, headers: Dictionary(headers, uniquingKeysWith: { $1 }), body: body))
            guard attempt < script.count else { return 200 }
            guard let status = script[attempt] else { throw ConnectionRefused() }
            return status
        }
    }

    /// A store with one processed event forwarded by a route whose secret is in a file.
    static func queued(_ store: StateStore, maxAttempts: Int, secretFile: URL, clock: TestClock) async throws -> (Int64, Data) {
        try Data("s3cr3t-key\n".utf8).write(to: secretFile)
        try Seed.apply([Seed.route("crm", """
            {"priority": 100, "match": {"field": "messages"},
             "actions": [{"type": "forward", "url": "https://crm.example.com/hook", "secret": {"file": "\(secretFile.path)"},
                          "maxAttempts": \(maxAttempts), "backoff": "10s"}]}
            """)], to: store)
        let body = try MetaFixtures.data("webhook-messages-text")
        let id = try Seed.append([body], to: store, at: clock.now)[0]
        let processor = EventProcessor(store: store, logger: .quiet, now: clock.closure)
        try await processor.processAll()
        return (id, body)
    }

    @Test func failsThreeTimesThenDeliversOnceWithAVerifiableSignature() async throws {
        try await TemporaryState.with { store in
            let directory = try TemporaryState.directory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let clock = TestClock(Date(timeIntervalSince1970: 1_750_000_000))
            let (eventID, body) = try await Self.queued(store, maxAttempts: 8, secretFile: directory.appendingPathComponent("crm.key"),
                                                        clock: clock)
            let posts = Recorder<Post>()
            let dispatcher = ForwardDispatcher(store: store, sender: Self.sender([500, nil, 404], posts: posts), logger: .quiet,
                                               now: clock.closure)

            var rounds: [ForwardDispatcher.Round] = []
            rounds.append(try await dispatcher.dispatchDue())        // attempt 1: 500
            rounds.append(try await dispatcher.dispatchDue())        // not due yet
            clock.advance(by: 10)
            rounds.append(try await dispatcher.dispatchDue())        // attempt 2: connection refused
            clock.advance(by: 20)
            rounds.append(try await dispatcher.dispatchDue())        // attempt 3: 404
            clock.advance(by: 39)
            rounds.append(try await dispatcher.dispatchDue())        // 1 s early
            clock.advance(by: 1)
            rounds.append(try await dispatcher.dispatchDue())        // attempt 4: 200
            clock.advance(by: 3_600)
            rounds.append(try await dispatcher.dispatchDue())        // nothing left

            #expect(rounds.map(\.attempted) == [1, 0, 1, 1, 0, 1, 0])
            #expect(rounds.map(\.delivered).reduce(0, +) == 1)
            #expect(posts.all.count == 4)

            let delivery = try #require(try store.forwardDeliveries(status: nil).first)
            #expect(delivery.status == "delivered")
            #expect(delivery.eventID == eventID)
            #expect(delivery.attempts == 4)
            let attempts = try store.forwardAttempts(deliveryID: delivery.id)
            #expect(attempts.count == 4)
            #expect(attempts.map(\.httpStatus) == [500, nil, 404, 200])
            #expect(attempts[1].error?.contains("connection refused") == true)

            for post in posts.all {
                #expect(post.url == "https://crm.example.com/hook")
                #expect(post.body == body, "the original event bytes")
                #expect(post.headers["Content-Type"] == "application/json")
                let signature = try #require(post.headers[ForwardDispatcher.signatureHeader])
                #expect(WebhookSignature.verify(post.body, header: signature, secret: "s3cr3t-key"), "signed with the trimmed file secret")
                #expect(!WebhookSignature.verify(post.body, header: signature, secret: "another-key"))
            }
        }
    }

    @Test func deadLetterAfterMaxAttempts() async throws {
        try await TemporaryState.with { store in
            let directory = try TemporaryState.directory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let clock = TestClock(Date(timeIntervalSince1970: 1_750_000_000))
            _ = try await Self.queued(store, maxAttempts: 3, secretFile: directory.appendingPathComponent("crm.key"), clock: clock)
            let posts = Recorder<Post>()
            let dispatcher = ForwardDispatcher(store: store, sender: Self.sender(Array(repeating: 503, count: 10), posts: posts),
                                               logger: .quiet, now: clock.closure)
            for _ in 0..<6 {
                try await dispatcher.dispatchDue()
                clock.advance(by: 3_600)
            }
            #expect(posts.all.count == 3, "no attempt after the last one")
            let delivery = try #require(try store.forwardDeliveries(status: nil).first)
            #expect(delivery.status == "dead")
            #expect(delivery.attempts == 3)
            #expect(delivery.lastError == "HTTP 503")
            #expect(try store.forwardDeliveries(status: "dead").count == 1)
            #expect(try store.dueForwards(now: clock.now, limit: 10).isEmpty)
        }
    }

    @Test func missingSecretIsAFailedAttemptWithoutARequest() async throws {
        try await TemporaryState.with { store in
            let directory = try TemporaryState.directory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let clock = TestClock(Date(timeIntervalSince1970: 1_750_000_000))
            let secretFile = directory.appendingPathComponent("crm.key")
            _ = try await Self.queued(store, maxAttempts: 3, secretFile: secretFile, clock: clock)
            try FileManager.default.removeItem(at: secretFile)
            let posts = Recorder<Post>()
            let dispatcher = ForwardDispatcher(store: store, sender: Self.sender([], posts: posts), logger: .quiet, now: clock.closure)
            let round = try await dispatcher.dispatchDue()
            #expect(round.failed == 1)
            #expect(posts.all.isEmpty, "nothing is sent unsigned")
            let delivery = try #require(try store.forwardDeliveries(status: nil).first)
            #expect(delivery.lastError == "secret file:\(secretFile.path) is not set")
        }
    }

    @Test func secretReferences() throws {
        #expect(SecretResolver.resolve(.env("HOOK_KEY"), environment: ["HOOK_KEY": "abc"]) == "abc")
        #expect(SecretResolver.resolve(.env("HOOK_KEY"), environment: ["HOOK_KEY": ""]) == nil)
        #expect(SecretResolver.resolve(.env("HOOK_KEY"), environment: [:]) == nil)
        #expect(SecretRef(reference: "env:HOOK_KEY") == .env("HOOK_KEY"))
        #expect(SecretRef(reference: "plain-value") == nil, "only references resolve")
        #expect(SecretRef(reference: "env:") == nil)
        let directory = try TemporaryState.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("key")
        try Data("  k3y \n".utf8).write(to: file)
        #expect(SecretRef(reference: "file:\(file.path)").flatMap { SecretResolver.resolve($0) } == "k3y")
    }
}

@Suite struct StatusPollerTests {
    struct MetaDown: Error {}

    @Test func pollsOnEveryIntervalAndSurvivesFailures() async throws {
        let calls = Recorder<Int>()
        let results = Recorder<Bool>()
        let sleeps = Recorder<Duration>()
        let poller = StatusPoller(
            interval: .seconds(90), logger: .quiet,
            sleep: { duration in
                sleeps.append(duration)
                if sleeps.all.count >= 3 { throw CancellationError() }
            },
            onResult: { result in
                if case .success = result { results.append(true) } else { results.append(false) }
            },
            sync: {
                calls.append(calls.all.count)
                if calls.all.count == 2 { throw MetaDown() }
                return [ResourceID(kind: .template, name: "welcome", language: "en_US")]
            })
        try await poller.run()
        #expect(calls.all.count == 3, "a failed poll does not stop the poller")
        #expect(results.all == [true, false, true])
        #expect(sleeps.all == [.seconds(90), .seconds(90), .seconds(90)])
    }

    @Test func engineWithoutGraphClientsDoesNotMarkTemplatesDeleted() async throws {
        try await TemporaryState.with { store in
            let id = ResourceID(kind: .template, name: "welcome", language: "en_US")
            try store.recordTemplateStatus(TemplateStatusUpdate(id: id, templateID: "77", status: "APPROVED", source: "apply", at: Seed.t0))
            let engine = Engine(store: store, meta: MetaClients(unavailable: ["main": "secret env:TOKEN is not set"]), logger: .quiet)
            let failures = Recorder<String>()
            let poller = StatusPoller(engine: engine, logger: .quiet, onResult: { result in
                if case .failure(let error) = result { failures.append("\(error)") }
            })
            #expect(await poller.pollOnce().isEmpty)
            #expect(try store.templateRecord(id)?.status == "APPROVED")
            #expect(failures.all.first?.contains("main: secret env:TOKEN is not set") == true)
        }
    }
}
