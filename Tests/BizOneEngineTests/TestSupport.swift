import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import Synchronization
import Logging
import MetaGraph
import TestSupport

/// A state file in its own temporary directory, removed when the body returns.
enum TemporaryState {
    static func with<T>(_ body: (StateStore) async throws -> T) async throws -> T {
        try await withTemporaryDirectory(prefix: "bizone-engine-tests") { directory in
            try await body(try StateStore(path: directory.path("state.db")))
        }
    }

    /// A fresh directory the caller removes.
    static func directory() throws -> URL {
        try TemporaryDirectory(prefix: "bizone-engine-tests").url
    }
}

enum Seed {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)
    static let phoneNumberID = "106540352242922"
    static let account = "102290129340398"

    /// Appends bodies as accepted webhooks received at `at`; returns their ids.
    @discardableResult
    static func append(_ bodies: [Data], to store: StateStore, at: Date = Date()) throws -> [Int64] {
        try store.appendWebhookEvents(bodies.map {
            IncomingWebhook(receivedAt: at, path: "/api/webhooks/whatsapp", body: $0, outcome: .accepted)
        })
    }

    @discardableResult
    static func append(_ body: String, to store: StateStore, at: Date = Date()) throws -> Int64 {
        try append([Data(body.utf8)], to: store, at: at)[0]
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Data(text.utf8))
    }

    /// Applies resources the way `bizone apply` leaves them in state: `(id, content JSON)`.
    static func apply(_ resources: [(ResourceID, String)], to store: StateStore) throws {
        let runID = UUID().uuidString
        try store.beginApplyRun(ApplyRunStart(id: runID, revision: nil, actor: "test", startedAt: t0, planSerial: 0))
        for (offset, (id, content)) in resources.enumerated() {
            let after = try json(content)
            let change = PlanChange(id: id, action: .create, after: after, afterHash: ContentHash.of(after), reason: "test")
            try store.applyChange(change, runID: runID, sequence: offset + 1, at: t0, revision: nil)
        }
        _ = try store.finishApplyRun(id: runID, at: t0, outcome: "succeeded", changed: true)
    }

    static func route(_ name: String, _ spec: String) -> (ResourceID, String) {
        (ResourceID(kind: .webhookRoute, name: name), #"{"spec": \#(spec)}"#)
    }

    static func role(_ name: String) -> (ResourceID, String) {
        (ResourceID(kind: .role, name: name), #"{"spec": {"permissions": {"conversations": ["read", "write"]}}}"#)
    }

    static func user(_ name: String, teams: [String], disabled: Bool = false) -> (ResourceID, String) {
        let teamList = teams.map { "\"\($0)\"" }.joined(separator: ", ")
        return (ResourceID(kind: .user, name: name), """
            {"spec": {"email": "\(name)@example.com", "displayName": "\(name.capitalized)", "roles": ["agent"],
                      "teams": [\(teamList)], "disabled": \(disabled)}}
            """)
    }

    /// A `messages` webhook with one text message from `waID`.
    static func textMessage(wamid: String, from waID: String, text: String, timestamp: Int = 1_750_000_000,
                            name: String = "Sheena Nelson") -> String {
        """
        {"object":"whatsapp_business_account","entry":[{"id":"\(account)","changes":[{"field":"messages","value":{
        "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"\(phoneNumberID)"},
        "contacts":[{"profile":{"name":"\(name)"},"wa_id":"\(waID)"}],
        "messages":[{"from":"\(waID)","id":"\(wamid)","timestamp":"\(timestamp)","type":"text","text":{"body":"\(text)"}}]}}]}]}
        """
    }

    /// A `messages` webhook with the given statuses (`(wamid, status, unix time)`).
    static func statuses(_ items: [(String, String, Int)], spaced: Bool = false) -> String {
        let separator = spaced ? ": " : ":"
        let list = items.map { wamid, status, time in
            "{\"id\"\(separator)\"\(wamid)\",\"status\"\(separator)\"\(status)\",\"timestamp\"\(separator)\"\(time)\",\"recipient_id\"\(separator)\"16505551234\"}"
        }.joined(separator: ",")
        return """
            {"object":"whatsapp_business_account","entry":[{"id":"\(account)","changes":[{"field":"messages","value":{\
            "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"\(phoneNumberID)"},\
            "statuses":[\(list)]}}]}]}
            """
    }

    /// A `message_template_status_update` webhook.
    static func templateStatus(id: Int, name: String, language: String, event: String, time: Int, reason: String = "NONE") -> String {
        """
        {"entry":[{"id":"\(account)","time":\(time),"changes":[{"value":{"event":"\(event)","message_template_id":\(id),
        "message_template_name":"\(name)","message_template_language":"\(language)","reason":"\(reason)",
        "message_template_category":"MARKETING"},"field":"message_template_status_update"}]}],"object":"whatsapp_business_account"}
        """
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var closure: @Sendable () -> Date { { self.now } }
}

/// Values tests read after async work.
typealias Recorder<Element: Sendable> = Locked<[Element]>

/// A Graph client that records sends and answers with a fresh wamid.
final class FakeGraphClient: GraphClient, Sendable {
    let sends = Recorder<SendMessageRequest>()
    private let failing = Mutex(false)
    var failSends: Bool {
        get { failing.withLock { $0 } }
        set { failing.withLock { $0 = newValue } }
    }

    struct Unsupported: Error {}

    func createTemplate(_ request: CreateTemplateRequest) async throws -> CreateTemplateResponse { throw Unsupported() }
    func listTemplates(_ query: TemplateQuery) async throws -> TemplateListResponse { throw Unsupported() }
    func template(id: String, fields: [String]?) async throws -> MessageTemplate { throw Unsupported() }
    func editTemplate(id: String, _ request: EditTemplateRequest) async throws { throw Unsupported() }
    func deleteTemplate(name: String, id: String?) async throws { throw Unsupported() }
    func markRead(messageID: String) async throws {}
    func phoneNumber(fields: [String]?) async throws -> PhoneNumberInfo { throw Unsupported() }

    func send(_ request: SendMessageRequest) async throws -> SendMessageResponse {
        sends.append(request)
        if failSends { throw GraphError(kind: .network, message: "connection refused") }
        return SendMessageResponse(contacts: [.init(input: request.to, waID: request.to)],
                                   messages: [.init(id: "wamid.reply.\(sends.all.count)")])
    }
}

extension Logger {
    static let quiet: Logger = {
        var logger = Logger(label: "bizone.tests")
        logger.logLevel = .critical
        return logger
    }()
}
