import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import Synchronization
import Logging
import MetaGraph

/// Virtual time for campaign tests: `sleep` jumps the clock to the end of the wait at once,
/// so pacing and retry backoff cost nothing, and `date` follows the same clock.
final class VirtualTime: Sendable {
    private let seconds = Mutex<Double>(0)
    let origin: Date

    init(_ origin: Date) { self.origin = origin }

    var elapsed: Double { seconds.withLock { $0 } }
    var date: Date { origin.addingTimeInterval(elapsed) }

    func advance(by delta: Double) { seconds.withLock { $0 += max(0, delta) } }
    func wake(at target: Double) { seconds.withLock { $0 = max($0, target) } }
    func set(_ date: Date) { seconds.withLock { $0 = max($0, date.timeIntervalSince(origin)) } }

    var now: @Sendable () -> Date { { self.date } }

    var clock: GraphClock {
        GraphClock(now: { self.elapsed }, sleep: { delay in
            try Task.checkCancellation()
            // The sleeper wakes at (its start) + delay; concurrent sleepers overlap.
            if delay > 0 { self.wake(at: self.elapsed + delay) }
            await Task.yield()
        })
    }
}

/// A Graph client whose sends follow a script: `(request, attempt number for that recipient,
/// send number overall)` -> throw to fail, return to accept. Records every request.
final class ScriptedGraphClient: GraphClient, Sendable {
    typealias Script = @Sendable (_ request: SendMessageRequest, _ attempt: Int, _ number: Int) async throws -> Void

    private struct Log {
        var sent: [SendMessageRequest] = []
        var attemptsByPhone: [String: Int] = [:]
    }

    private let log = Mutex(Log())
    let script: Script

    init(script: @escaping Script = { _, _, _ in }) { self.script = script }

    var requests: [SendMessageRequest] { log.withLock { $0.sent } }
    var phones: [String] { requests.map(\.to) }

    struct Unsupported: Error {}

    func createTemplate(_ request: CreateTemplateRequest) async throws -> CreateTemplateResponse { throw Unsupported() }
    func listTemplates(_ query: TemplateQuery) async throws -> TemplateListResponse { throw Unsupported() }
    func template(id: String, fields: [String]?) async throws -> MessageTemplate { throw Unsupported() }
    func editTemplate(id: String, _ request: EditTemplateRequest) async throws { throw Unsupported() }
    func deleteTemplate(name: String, id: String?) async throws { throw Unsupported() }
    func markRead(messageID: String) async throws {}
    func phoneNumber(fields: [String]?) async throws -> PhoneNumberInfo { throw Unsupported() }

    func send(_ request: SendMessageRequest) async throws -> SendMessageResponse {
        let (attempt, number) = log.withLock { log -> (Int, Int) in
            log.sent.append(request)
            log.attemptsByPhone[request.to, default: 0] += 1
            return (log.attemptsByPhone[request.to, default: 0], log.sent.count)
        }
        try await script(request, attempt, number)
        let digits = String(request.to.filter(\.isNumber))
        return SendMessageResponse(contacts: [.init(input: request.to, waID: digits)],
                                   messages: [.init(id: "wamid.\(digits).\(attempt)")])
    }

    static func graphError(_ code: Int, _ title: String = "error", transient: Bool = false) -> GraphError {
        GraphError(kind: .graph, httpStatus: 400, code: code, type: "OAuthException", message: "(#\(code)) \(title)",
                   details: "details of \(code)", isTransient: transient)
    }
}

/// A campaign, its template, audience and (optionally) schedule, applied to a state file.
enum CampaignWorld {
    static let campaign = "promo"
    static let templateName = "promo_offer"
    static let language = "en_US"
    static var templateID: ResourceID { ResourceID(kind: .template, name: templateName, language: language) }
    static let metaTemplateID = 7_001

    static func phone(_ index: Int) -> String { "+62811\(String(format: "%07d", index))" }

    /// `count` contacts; those whose index is in `withoutCity` lack the `city` attribute.
    static func contacts(_ count: Int, withoutCity: Set<Int> = []) -> [AudienceContact] {
        (0..<count).map { index in
            AudienceContact(phone: phone(index), name: "Contact \(index)",
                            attributes: withoutCity.contains(index) ? [:] : ["city": "City \(index)"])
        }
    }

    static func seed(_ store: StateStore, contacts: [AudienceContact], templateStatus: String = "APPROVED",
                     throughput: Int = 1_000, maxAttempts: Int = 3, backoff: String = "30s", maxFailureRate: Double = 0.2,
                     suspend: Bool = false, schedule: String? = nil, parameters: String? = nil) throws {
        let parameterJSON = parameters ?? #"{"first_name": "{{contact.name}}", "city": "{{contact.attributes.city}}", "code": "SAVE10"}"#
        let resources: [(ResourceID, String)] = [
            (templateID, """
                {"spec": {"language": "\(language)", "category": "MARKETING", "parameterFormat": "named",
                          "body": {"text": "Hi {{first_name}}, your code in {{city}} is {{code}}.",
                                   "examples": {"first_name": "Ana", "city": "Jakarta", "code": "SAVE10"}},
                          "buttons": [], "lifecycle": {"prune": "allow"}}}
                """),
            (ResourceID(kind: .audience, name: "vip"), #"{"spec": {"contacts": []}}"#),
            (ResourceID(kind: .campaign, name: campaign), """
                {"spec": {"template": {"name": "\(templateName)", "language": "\(language)"}, "audience": "vip",
                          \(schedule.map { "\"schedule\": \"\($0)\"," } ?? "")
                          "parameters": \(parameterJSON), "throughput": {"messagesPerSecond": \(throughput)},
                          "retry": {"maxAttempts": \(maxAttempts), "backoff": "\(backoff)"},
                          "stopConditions": {"maxFailureRate": \(maxFailureRate)}, "suspend": \(suspend)}}
                """),
        ]
        try Seed.apply(resources, to: store)
        try store.importAudience("vip", rows: contacts, at: Seed.t0)
        try store.recordTemplateStatus(TemplateStatusUpdate(id: templateID, templateID: String(metaTemplateID), status: templateStatus,
                                                            source: "sync", at: Seed.t0))
    }

    static func schedule(_ name: String, _ spec: String, to store: StateStore) throws {
        try Seed.apply([(ResourceID(kind: .schedule, name: name), #"{"spec": \#(spec)}"#)], to: store)
    }

    static func setSuspend(_ suspend: Bool, _ store: StateStore) throws {
        let id = ResourceID(kind: .campaign, name: campaign)
        guard let record = try store.appliedResource(id), case .object(var content) = record.content,
              case .object(var spec)? = content["spec"] else { return }
        spec["suspend"] = .bool(suspend)
        content["spec"] = .object(spec)
        let after = JSONValue.object(content)
        let runID = UUID().uuidString
        try store.beginApplyRun(ApplyRunStart(id: runID, revision: nil, actor: "test", startedAt: Seed.t0, planSerial: 0))
        try store.applyChange(PlanChange(id: id, action: .update, before: record.content, after: after,
                                         beforeHash: record.contentHash, afterHash: ContentHash.of(after), reason: "test"),
                              runID: runID, sequence: 1, at: Seed.t0, revision: nil)
        _ = try store.finishApplyRun(id: runID, at: Seed.t0, outcome: "succeeded", changed: true)
    }

    static func dispatcher(_ store: StateStore, _ client: ScriptedGraphClient, time: VirtualTime,
                           configuration: CampaignDispatcher.Configuration = .init(),
                           onSend: (@Sendable (CampaignSendEvent) -> Void)? = nil) -> CampaignDispatcher {
        CampaignDispatcher(store: store, meta: MetaClients(clients: ["main": client]), configuration: configuration, logger: .quiet,
                           now: time.now, clock: time.clock, onSend: onSend)
    }
}
