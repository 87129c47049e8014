import BizOneModel
import Foundation

/// In-process access to everything the `/_emulator/...` endpoints offer, for tests and the CLI.
public struct EmulatorControl: Sendable {
    let state: EmulatorState
    let dispatcher: WebhookDispatcher

    /// Approves a template (optionally under another category), with its webhook.
    public func approve(templateID: String, category: String? = nil) async throws {
        try await state.approve(templateID, category: category)
    }

    /// Rejects a template with a reason (`INVALID_FORMAT` also sends `rejection_info`).
    public func reject(templateID: String, _ request: RejectRequest = RejectRequest()) async throws {
        try await state.reject(templateID, request)
    }

    /// Pauses an APPROVED template; the third pause disables it.
    public func pause(templateID: String) async throws { try await state.pause(templateID) }

    public func unpause(templateID: String) async throws { try await state.unpause(templateID) }

    public func disable(templateID: String) async throws { try await state.disable(templateID) }

    /// Sets the quality score and posts `message_template_quality_update`.
    public func setQuality(templateID: String, score: String) async throws {
        try await state.setQuality(templateID, score: score)
    }

    /// Changes the category and posts `template_category_update`.
    public func recategorize(templateID: String, category: String) async throws {
        try await state.recategorize(templateID, category: category)
    }

    /// A user message: opens the 24-hour window and posts a `messages` webhook.
    @discardableResult
    public func inbound(_ request: InboundRequest) async throws -> InboundResult {
        try await state.inbound(JSONValue(encoding: request))
    }

    /// Like `inbound(_:)` with a raw body: extra keys (`button`, `context`, `message`, ...) go into the message.
    @discardableResult
    public func inbound(raw: JSONValue) async throws -> InboundResult {
        try await state.inbound(raw)
    }

    public func setWebhookBehaviour(_ behaviour: WebhookBehaviour) async {
        await dispatcher.setBehaviour(behaviour)
    }

    public func webhookBehaviour() async -> WebhookBehaviour { await dispatcher.currentBehaviour() }

    /// Replaces the review and recipient rules (and applies their limit/timing/webhook overrides).
    public func setRules(_ rules: EmulatorRules) async {
        let timing = await state.setRules(rules)
        await dispatcher.setTiming(timing)
        if let behaviour = rules.webhook { await dispatcher.setBehaviour(behaviour) }
    }

    public func templates() async -> [TemplateSnapshot] { await state.templateSnapshots() }

    public func messages() async -> [MessageSnapshot] { await state.messageSnapshots() }

    /// Inbound message ids the business marked read, in order.
    public func readReceipts() async -> [String] { await state.markedRead() }

    public func requests() async -> [RequestLogEntry] { await state.requests() }

    public func webhookAttempts() async -> [WebhookAttempt] { await dispatcher.recentAttempts() }

    public func stats() async -> EmulatorStats {
        var stats = await state.statistics()
        stats.webhooks = await dispatcher.statistics()
        return stats
    }

    /// Webhook events queued, held or waiting for a retry.
    public var pendingWebhooks: Int { dispatcher.pending.count }

    /// Waits until no webhook is pending, woken by the last one finishing (delivered, dropped
    /// or skipped) or by `reset`; false when `timeout` seconds pass first. The timeout is only a
    /// ceiling (wall-clock), so the default is generous.
    @discardableResult
    public func waitForWebhooks(timeout: Double = 120) async -> Bool {
        await dispatcher.pending.waitUntilIdle(timeout: timeout)
    }

    /// Forgets every template, message, window, counter and queued webhook; ids restart from the seed.
    public func reset() async {
        await state.reset()
        await dispatcher.reset(behaviour: state.configuration.webhookBehaviour)
    }
}
