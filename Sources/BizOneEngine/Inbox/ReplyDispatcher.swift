import BizOneModel
import BizOneStore
import Foundation
import Logging
import MetaGraph

/// Sends the replies agents queue in the inbox (issue 12).
///
/// Contract:
/// - A reply is already stored (`queued`) when this sees it; it is claimed (`sending`), sent
///   once through the integration's Graph client, the one whose pacer campaigns share for that
///   phone number (so replies and campaigns keep to the number's rate together; the client
///   retries what Meta says is transient), then recorded `accepted` with its wamid or `failed`
///   with Meta's code and title. Its later statuses arrive by webhook into the ledger.
/// - A reply left `sending` by a process that stopped is failed at start, never sent twice.
/// - Read receipts an agent's read queued go the same way (one attempt; a failure is kept).
/// - The template of a template reply is the applied one; its parameters were checked when
///   the reply was queued, and are mapped here exactly as campaigns map theirs.
public final class ReplyDispatcher: Sendable {
    let store: StateStore
    let meta: MetaClients
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void

    public init(store: StateStore, meta: MetaClients, interval: Duration = .milliseconds(250), logger: Logger = Logger(label: "bizone.replies"),
                now: @escaping @Sendable () -> Date = Date.init,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.store = store
        self.meta = meta
        self.interval = interval
        self.logger = logger
        self.now = now
        self.sleep = sleep
    }

    public func run() async throws {
        let interrupted = try store.resolveInterruptedReplies(at: now())
        if interrupted > 0 {
            logger.warning("replies interrupted mid-send by the last stop are marked failed", metadata: ["count": "\(interrupted)"])
        }
        await PollingLoop.run(every: interval, sleep: sleep, onError: { error in
            logger.error("sending replies failed; will retry", metadata: ["error": "\(error)"])
        }) {
            _ = try await sendDue()
        }
    }

    /// Sends what is queued now (replies, then read receipts); how many replies were accepted
    /// and failed.
    @discardableResult
    public func sendDue() async throws -> (accepted: Int, failed: Int) {
        let due = try store.claimReplies(limit: 20, at: now())
        let receipts = try store.queuedReadReceipts(limit: 20)
        guard !due.isEmpty || !receipts.isEmpty else { return (0, 0) }
        let integrations = try store.appliedIntegrations().byName
        for receipt in receipts {
            guard let name = integrations.first(where: { $0.value.phoneNumberId == receipt.phoneNumberID })?.key, let client = meta.clients[name]
            else {
                try store.finishReadReceipt(wamid: receipt.wamid, error: "no integration with a Graph client for \(receipt.phoneNumberID)")
                continue
            }
            do {
                try await client.markRead(messageID: receipt.wamid)
                try store.finishReadReceipt(wamid: receipt.wamid, error: nil)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                try store.finishReadReceipt(wamid: receipt.wamid, error: "\(error)")
            }
        }
        var accepted = 0, failed = 0
        for item in due {
            if try await send(item, integrations: integrations) { accepted += 1 } else { failed += 1 }
        }
        return (accepted, failed)
    }

    func send(_ item: ReplyToSend, integrations: [String: IntegrationSpec]) async throws -> Bool {
        let id = item.reply.id
        guard let name = integrations.first(where: { $0.value.phoneNumberId == item.phoneNumberID })?.key,
              let client = meta.clients[name] else {
            try store.recordReplyFailed(id: id, code: nil, title: "no integration with a Graph client sends for phone number \(item.phoneNumberID)",
                                        at: now())
            return false
        }
        let request: SendMessageRequest
        switch item.reply.content {
        case .text(let body):
            request = .text(to: item.recipient, body: body)
        case let .template(templateName, language, values):
            let templateID = ResourceID(kind: .template, name: templateName, language: language)
            guard let spec = try store.appliedResource(templateID)?.content["spec"].flatMap({ try? $0.decode(TemplateSpec.self) }) else {
                try store.recordReplyFailed(id: id, code: nil, title: "template \(templateID) is no longer applied", at: now())
                return false
            }
            let components = TemplateMapping.sendComponents(for: spec, values: values)
            request = .template(to: item.recipient, name: templateName, language: language, components: components.isEmpty ? nil : components,
                                callbackData: "reply:\(id)")
        }
        do {
            let response = try await client.send(request)
            guard let wamid = response.messageID, !wamid.isEmpty else {
                try store.recordReplyFailed(id: id, code: nil, title: "Meta answered without a message id", at: now())
                return false
            }
            let waID = response.contacts.first?.waID
            try store.recordReplyAccepted(id: id, wamid: wamid, recipientID: waID?.isEmpty == false ? waID : nil, at: now())
            logger.info("reply sent", metadata: ["reply": "\(id)", "wamid": "\(wamid)"])
            return true
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as GraphError {
            try store.recordReplyFailed(id: id, code: error.code, title: CampaignDispatcher.title(of: error), at: now())
            logger.warning("reply refused by Meta", metadata: ["reply": "\(id)", "code": "\(error.code.map(String.init) ?? "-")"])
            return false
        } catch {
            try store.recordReplyFailed(id: id, code: nil, title: "\(error)", at: now())
            return false
        }
    }
}
