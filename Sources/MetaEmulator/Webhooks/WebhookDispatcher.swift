import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import MetaGraph
import NIOCore

/// The webhook queue: one worker task delivers events in order, each signed with
/// `X-Hub-Signature-256` over its exact bytes, after a GET handshake the first time a URL is used.
/// Failed attempts are retried with exponential backoff (the queue moves on meanwhile) and
/// dropped after `webhookMaxAttempts`. Duplicates, reordering and delay are switchable.
actor WebhookDispatcher {
    struct Event: Sendable {
        let sequence: Int
        let body: Data
        let field: String
        let generation: Int
    }

    enum Item: Sendable {
        case new(body: Data, field: String, generation: Int)
        case ready(Event, attempt: Int)
        case flush(token: Int, generation: Int)
    }

    struct Secrets: Sendable {
        var appSecret: String
        var verifyToken: String?
        var defaultURL: String?
    }

    private let secrets: Secrets
    private var timing: EmulatorTiming
    private var behaviour: WebhookBehaviour
    private let clock: EmulatorClock
    private let logger: Logger
    private let seed: UInt64
    private var challenges: SeededRandom
    private let stream: AsyncStream<Item>
    nonisolated let continuation: AsyncStream<Item>.Continuation
    nonisolated let pending = PendingCounter()
    private var verifiedURLs: Set<String> = []
    private var held: [Event] = []
    private var flushToken = 0
    private var sequence = 0
    private var stats = WebhookStats()
    private var attempts: [WebhookAttempt] = []
    private var timers: [Int: Task<Void, Never>] = [:]
    private var nextTimer = 0

    init(secrets: Secrets, timing: EmulatorTiming, behaviour: WebhookBehaviour, clock: EmulatorClock, seed: UInt64, logger: Logger) {
        self.secrets = secrets
        self.timing = timing
        self.behaviour = behaviour
        self.clock = clock
        self.seed = seed
        self.logger = logger
        challenges = SeededRandom(seed: seed, stream: 9)
        (stream, continuation) = AsyncStream.makeStream(of: Item.self)
    }

    /// Queues one webhook body. Callable from anywhere, synchronously, so events keep the order
    /// in which the emulator produced them.
    nonisolated func enqueue(_ body: Data, field: String) {
        let generation = pending.add()
        continuation.yield(.new(body: body, field: field, generation: generation))
    }

    /// The worker: runs until the stream finishes or the task is cancelled.
    func run() async {
        for await item in stream {
            if Task.isCancelled { break }
            switch item {
            case .new(let body, let field, let generation):
                guard pending.isCurrent(generation) else { continue }
                sequence += 1
                stats.enqueued += 1
                let event = Event(sequence: sequence, body: body, field: field, generation: generation)
                if behaviour.delay > 0 {
                    later(behaviour.delay, .ready(event, attempt: 1))
                } else {
                    await firstAttempt(event)
                }
            case .ready(let event, let attempt):
                guard pending.isCurrent(event.generation) else { continue }
                if attempt == 1 {
                    await firstAttempt(event)
                } else {
                    await deliver(event, attempt: attempt)
                }
            case .flush(let token, let generation):
                guard pending.isCurrent(generation), token == flushToken else { continue }
                await flushHeld()
            }
        }
    }

    func stop() {
        continuation.finish()
        for timer in timers.values { timer.cancel() }
        timers = [:]
    }

    // MARK: - Control

    func setBehaviour(_ behaviour: WebhookBehaviour) async {
        let wasReordering = self.behaviour.reorder > 1
        self.behaviour = behaviour
        if wasReordering, behaviour.reorder <= 1 { await flushHeld() }
    }

    func currentBehaviour() -> WebhookBehaviour { behaviour }

    func setTiming(_ timing: EmulatorTiming) { self.timing = timing }

    func statistics() -> WebhookStats { stats }

    func recentAttempts() -> [WebhookAttempt] { attempts }

    func reset(behaviour: WebhookBehaviour) {
        pending.reset()
        held = []
        flushToken += 1
        stats = WebhookStats()
        attempts = []
        verifiedURLs = []
        challenges = SeededRandom(seed: seed, stream: 9)
        self.behaviour = behaviour
        for timer in timers.values { timer.cancel() }
        timers = [:]
    }

    // MARK: - Delivery

    private func firstAttempt(_ event: Event) async {
        if behaviour.reorder > 1 {
            held.append(event)
            if held.count >= behaviour.reorder {
                await flushHeld()
            } else {
                flushToken += 1
                later(timing.reorderFlushDelay, .flush(token: flushToken, generation: event.generation))
            }
            return
        }
        await deliver(event, attempt: 1)
    }

    private func flushHeld() async {
        let batch = held.reversed()
        held = []
        flushToken += 1
        for event in batch { await deliver(event, attempt: 1) }
    }

    private func deliver(_ event: Event, attempt: Int) async {
        guard let url = behaviour.url ?? secrets.defaultURL else {
            stats.skipped += 1
            pending.finish(event.generation)
            return
        }
        let outcome = await post(event, to: url, attempt: attempt)
        guard pending.isCurrent(event.generation) else { return }
        if outcome {
            stats.delivered += 1
            if behaviour.duplicate {
                stats.duplicates += 1
                _ = await post(event, to: url, attempt: attempt)
            }
            pending.finish(event.generation)
        } else if attempt < max(1, timing.webhookMaxAttempts) {
            stats.retried += 1
            let delay = timing.webhookRetryBase * pow(2, Double(attempt - 1))
            later(delay, .ready(event, attempt: attempt + 1))
        } else {
            stats.dropped += 1
            logger.warning("webhook dropped", metadata: ["field": "\(event.field)", "attempts": "\(attempt)", "url": "\(url)"])
            pending.finish(event.generation)
        }
    }

    /// One attempt (with the handshake when the URL is new); true on HTTP 200.
    private func post(_ event: Event, to url: String, attempt: Int) async -> Bool {
        guard await handshake(url) else {
            stats.failed += 1
            record(WebhookAttempt(time: clock.seconds, url: url, field: event.field, attempt: attempt, status: nil, ok: false,
                                  error: "handshake failed"))
            return false
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: WebhookSignature.header, value: WebhookSignature.sign(event.body, secret: secrets.appSecret))
        request.headers.add(name: "User-Agent", value: "facebookexternalua")
        request.body = .bytes(ByteBuffer(bytes: event.body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            _ = try? await response.body.collect(upTo: 1 << 20)
            let ok = response.status.code == 200
            if !ok { stats.failed += 1 }
            record(WebhookAttempt(time: clock.seconds, url: url, field: event.field, attempt: attempt, status: Int(response.status.code),
                                  ok: ok, error: nil))
            logger.debug("webhook posted", metadata: ["field": "\(event.field)", "status": "\(response.status.code)", "attempt": "\(attempt)"])
            return ok
        } catch {
            stats.failed += 1
            record(WebhookAttempt(time: clock.seconds, url: url, field: event.field, attempt: attempt, status: nil, ok: false,
                                  error: "\(error)"))
            logger.debug("webhook post failed", metadata: ["field": "\(event.field)", "error": "\(error)", "attempt": "\(attempt)"])
            return false
        }
    }

    /// `GET <url>?hub.mode=subscribe&hub.challenge=...&hub.verify_token=...`; 200 with the challenge passes.
    private func handshake(_ url: String) async -> Bool {
        guard let token = secrets.verifyToken else { return true }
        if verifiedURLs.contains(url) { return true }
        let challenge = String(1_000_000_000 + challenges.next() % 9_000_000_000)
        var query = QueryString()
        query.set("hub.mode", "subscribe")
        query.set("hub.challenge", challenge)
        query.set("hub.verify_token", token)
        var request = HTTPClientRequest(url: url + (url.contains("?") ? "&" : "?") + query.encoded)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: "facebookplatform/1.0 (+http://developers.facebook.com)")
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 16)
            let text = String(decoding: body.readableBytesView, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard response.status.code == 200, text == challenge else {
                stats.handshakeFailures += 1
                logger.debug("webhook handshake refused", metadata: ["status": "\(response.status.code)"])
                return false
            }
            verifiedURLs.insert(url)
            stats.handshakes += 1
            return true
        } catch {
            stats.handshakeFailures += 1
            logger.debug("webhook handshake failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    private var timeout: TimeAmount {
        let seconds = timing.webhookTimeout.isFinite ? min(max(0.05, timing.webhookTimeout), 3_600) : 3_600
        return .milliseconds(Int64(seconds * 1000))
    }

    private func record(_ attempt: WebhookAttempt) {
        attempts.append(attempt)
        if attempts.count > 1000 { attempts.removeFirst(attempts.count - 1000) }
    }

    /// Yields `item` back into the queue `delay` seconds from now (the deadline is fixed here).
    private func later(_ delay: Double, _ item: Item) {
        nextTimer += 1
        let id = nextTimer
        let clock = self.clock
        let deadline = clock.seconds + max(0, delay)
        let continuation = self.continuation
        timers[id] = Task {
            do { try await clock.sleep(until: deadline) } catch { return }
            continuation.yield(item)
            self.timerDone(id)
        }
    }

    private func timerDone(_ id: Int) { timers[id] = nil }
}
