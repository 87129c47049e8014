import AsyncHTTPClient
import BizOneModel
import Foundation
import Logging
import MetaEmulator
import MetaGraph
import Testing
import TestSupport

/// Tiny delays so the whole suite stays fast. Tests about timing use a `ManualClock` instead,
/// where the delays are virtual and only the test moves time.
let fastTiming = EmulatorTiming(reviewDelay: 0.05, sentDelay: 0.01, deliveredDelay: 0.01, readDelay: 0.01,
                                webhookRetryBase: 0.02, webhookMaxAttempts: 4, webhookTimeout: 60, reorderFlushDelay: 0.3)

/// Round virtual delays for tests on a `ManualClock`.
let manualTiming = EmulatorTiming(reviewDelay: 2, sentDelay: 1, deliveredDelay: 1, readDelay: 1,
                                  webhookRetryBase: 1, webhookMaxAttempts: 4, webhookTimeout: 60, reorderFlushDelay: 5)

extension ManualClock {
    /// This clock as the emulator's.
    var emulatorClock: EmulatorClock {
        EmulatorClock(now: { self.now }, sleep: { try await self.sleep(seconds: $0) })
    }
}

let quietLogger = Logger(label: "emulator-test", factory: { _ in SwiftLogNoOpLogHandler() })

/// An emulator on 127.0.0.1:0 with a webhook receiver, and HTTP helpers to talk to it.
struct Harness {
    let emulator: RunningEmulator
    let receiver: WebhookReceiver
    /// The emulator's clock when the test runs it on manual time.
    let clock: ManualClock?

    var control: EmulatorControl { emulator.control }
    var waba: String { emulator.configuration.businessAccountID }
    var phone: String { emulator.configuration.phoneNumberID }
    var token: String { emulator.configuration.accessToken }
    var secret: String { emulator.configuration.appSecret }

    /// With a `clock`, the emulator runs on it (and `timing` defaults to `manualTiming`):
    /// reviews, statuses, webhook retries and reorder flushes happen only when the test
    /// advances it, and rate limits see frozen time.
    static func run(rules: EmulatorRules = EmulatorRules(), limits: EmulatorLimits = EmulatorLimits(), timing: EmulatorTiming? = nil,
                    seed: UInt64 = 1, webhooks: Bool = true, clock: ManualClock? = nil,
                    _ body: (Harness) async throws -> Void) async throws {
        let receiver = try await WebhookReceiver.start()
        var configuration = EmulatorConfiguration(port: 0, webhookURL: webhooks ? receiver.url : nil, rules: rules, seed: seed,
                                                  limits: limits, timing: timing ?? (clock == nil ? fastTiming : manualTiming))
        if let clock { configuration.clock = clock.emulatorClock }
        let emulator = try await MetaEmulator.start(configuration, logger: quietLogger)
        let harness = Harness(emulator: emulator, receiver: receiver, clock: clock)
        do {
            try await body(harness)
        } catch {
            await emulator.stop()
            await receiver.stop()
            throw error
        }
        await emulator.stop()
        // Whatever the test did, every webhook it caused is a signed WebhookEnvelope.
        for post in await receiver.posts {
            #expect(WebhookSignature.verify(post.body, header: post.signature, secret: configuration.appSecret))
            #expect(throws: Never.self) { try MetaJSON.decode(WebhookEnvelope.self, from: post.body) }
        }
        await receiver.stop()
    }

    // MARK: - HTTP

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: body)) ?? .null }
        var errorCode: Int? { json["error"]?["code"]?.int }
        var errorSubcode: Int? { json["error"]?["error_subcode"]?.int }
    }

    func call(_ method: String, _ path: String, json: JSONValue? = nil, token: String?? = .none, version: String = "v23.0") async throws -> Reply {
        let url = path.hasPrefix("http") ? path : "\(emulator.baseURL)/\(version)/\(path)"
        return try await Self.send(method, url, json: json, token: token ?? self.token)
    }

    func control(_ method: String, _ path: String, json: JSONValue? = nil) async throws -> Reply {
        try await Self.send(method, "\(emulator.baseURL)/_emulator/\(path)", json: json, token: nil)
    }

    /// A form-encoded body, as `curl -F`-style Graph clients send.
    static func sendForm(_ method: String, _ url: String, body: String) async throws -> Reply {
        try await sendText(method, url, body: body, contentType: "application/x-www-form-urlencoded")
    }

    /// A raw text body (YAML for `/_emulator/rules`).
    static func sendText(_ method: String, _ url: String, body: String, contentType: String = "application/yaml") async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(Data(body.utf8))
        return try await reply(try await HTTPClient.shared.execute(request, timeout: .seconds(120)))
    }

    static func send(_ method: String, _ url: String, json: JSONValue?, token: String?) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(try JSONEncoder().encode(json))
        }
        return try await reply(try await HTTPClient.shared.execute(request, timeout: .seconds(120)))
    }

    static func reply(_ response: HTTPClientResponse) async throws -> Reply {
        let buffer = try await response.body.collect(upTo: 8 << 20)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: headers, body: Data(buffer.readableBytesView))
    }

    // MARK: - Templates

    @discardableResult
    func createTemplate(_ body: JSONValue) async throws -> Reply {
        try await call("POST", "\(waba)/message_templates", json: body)
    }

    /// Creates a template and returns its id (expects success).
    func create(name: String, language: String = "en_US", category: String = "UTILITY",
                body text: String = "Hello {{1}}, your order {{2}} has shipped.",
                examples: [String] = ["Siti", "A-100"], extra: [String: JSONValue] = [:]) async throws -> String {
        var components: [JSONValue] = [bodyComponent(text, examples: examples)]
        if let more = extra["components"]?.array { components += more }
        var request: [String: JSONValue] = ["name": .string(name), "language": .string(language), "category": .string(category),
                                            "components": .array(components)]
        for (key, value) in extra where key != "components" { request[key] = value }
        let reply = try await createTemplate(.object(request))
        #expect(reply.status == 200, "create \(name): \(String(decoding: reply.body, as: UTF8.self))")
        return try #require(reply.json["id"]?.stringValue)
    }

    func bodyComponent(_ text: String, examples: [String]) -> JSONValue {
        var component: [String: JSONValue] = ["type": "BODY", "text": .string(text)]
        if !examples.isEmpty { component["example"] = ["body_text": .array([.array(examples.map(JSONValue.string))])] }
        return .object(component)
    }

    /// Waits for the template's status (as listed by the Graph API).
    func waitForStatus(_ id: String, _ status: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        await eventually("template \(id) to reach \(status)", sourceLocation: sourceLocation) {
            (try? await call("GET", "\(id)?fields=status").json["status"]?.stringValue) == status
        }
    }

    /// On a manual clock, moves it past the default review delay (reviews fire then).
    func passReviewDelay() {
        clock?.advance(by: emulator.configuration.effective.timing.reviewDelay)
    }

    func approvedTemplate(name: String, body: String = "Hello {{1}}, your order {{2}} has shipped.",
                          examples: [String] = ["Siti", "A-100"], extra: [String: JSONValue] = [:]) async throws -> String {
        let id = try await create(name: name, body: body, examples: examples, extra: extra)
        passReviewDelay()
        try await waitForStatus(id, "APPROVED")
        return id
    }

    // MARK: - Sends

    func send(_ message: JSONValue) async throws -> Reply {
        try await call("POST", "\(phone)/messages", json: message)
    }

    func sendTemplate(to: String, name: String, language: String = "en_US", parameters: [String] = ["Siti", "A-100"],
                      callback: String? = nil) async throws -> Reply {
        var template: [String: JSONValue] = ["name": .string(name), "language": ["code": .string(language)]]
        if !parameters.isEmpty {
            template["components"] = [["type": "body", "parameters": .array(parameters.map { ["type": "text", "text": .string($0)] })]]
        }
        var message: [String: JSONValue] = ["messaging_product": "whatsapp", "to": .string(to), "type": "template",
                                            "template": .object(template)]
        if let callback { message["biz_opaque_callback_data"] = .string(callback) }
        return try await send(.object(message))
    }

    func sendText(to: String, _ text: String) async throws -> Reply {
        try await send(["messaging_product": "whatsapp", "to": .string(to), "type": "text", "text": ["body": .string(text)]])
    }

    // MARK: - Webhooks

    /// Every webhook body received so far, decoded as JSON.
    func webhookBodies() async -> [JSONValue] {
        await receiver.posts.compactMap { try? JSONDecoder().decode(JSONValue.self, from: $0.body) }
    }

    /// The `value`s of every change with the given field.
    func webhookValues(field: String) async -> [JSONValue] {
        await webhookBodies().flatMap { body in
            (body["entry"]?.array ?? []).flatMap { entry in
                (entry["changes"]?.array ?? []).filter { $0["field"]?.stringValue == field }.compactMap { $0["value"] }
            }
        }
    }

    /// Every status object received, in arrival order.
    func statuses() async -> [JSONValue] {
        await webhookValues(field: "messages").flatMap { $0["statuses"]?.array ?? [] }
    }
}

extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    var array: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
