/// Counters for `/_emulator/stats`.
public struct EmulatorStats: Sendable, Codable, Hashable {
    /// Graph API requests served (control endpoints excluded).
    public var requests = 0
    public var sendsAccepted = 0
    /// Graph errors answered, by code (`"130429"`, `"131056"`, ...).
    public var errors: [String: Int] = [:]
    /// Status webhooks produced, by status.
    public var statuses: [String: Int] = [:]
    public var inboundMessages = 0
    public var templatesCreated = 0
    public var templateEdits = 0
    public var templatesDeleted = 0
    /// Current templates by status.
    public var templates: [String: Int] = [:]
    public var webhooks = WebhookStats()

    public init() {}
}
