/// Meta's limits as the emulator enforces them (reference §6.9, §18). Zero disables a limit.
public struct EmulatorLimits: Sendable, Hashable {
    /// Token bucket per phone number, burst = one second's worth (130429). 0 = unlimited.
    public var messagesPerSecond: Double
    /// Messages to one recipient tolerated in a burst (131056).
    public var pairBurst: Int
    /// Seconds to earn back one pair-limit token. 0 = unlimited.
    public var pairInterval: Double
    /// Template creations per rolling hour (80007). 0 = unlimited.
    public var templateCreatesPerHour: Int
    /// Edits of an APPROVED template per rolling 24 hours.
    public var editsPer24h: Int
    /// Edits of an APPROVED template per rolling 30 days.
    public var editsPer30d: Int
    /// Templates per WhatsApp Business Account (2388019).
    public var templatesPerAccount: Int

    public init(messagesPerSecond: Double = 80, pairBurst: Int = 45, pairInterval: Double = 6.0, templateCreatesPerHour: Int = 100,
                editsPer24h: Int = 1, editsPer30d: Int = 10, templatesPerAccount: Int = 250) {
        self.messagesPerSecond = messagesPerSecond
        self.pairBurst = pairBurst
        self.pairInterval = pairInterval
        self.templateCreatesPerHour = templateCreatesPerHour
        self.editsPer24h = editsPer24h
        self.editsPer30d = editsPer30d
        self.templatesPerAccount = templatesPerAccount
    }

    /// The `limits:` section of a rules file: every field optional.
    public struct Overrides: Sendable, Hashable, Codable {
        public var messagesPerSecond: Double?
        public var pairBurst: Int?
        public var pairInterval: Double?
        public var templateCreatesPerHour: Int?
        public var editsPer24h: Int?
        public var editsPer30d: Int?
        public var templatesPerAccount: Int?

        public init(messagesPerSecond: Double? = nil, pairBurst: Int? = nil, pairInterval: Double? = nil,
                    templateCreatesPerHour: Int? = nil, editsPer24h: Int? = nil, editsPer30d: Int? = nil,
                    templatesPerAccount: Int? = nil) {
            self.messagesPerSecond = messagesPerSecond
            self.pairBurst = pairBurst
            self.pairInterval = pairInterval
            self.templateCreatesPerHour = templateCreatesPerHour
            self.editsPer24h = editsPer24h
            self.editsPer30d = editsPer30d
            self.templatesPerAccount = templatesPerAccount
        }
    }

    public func applying(_ overrides: Overrides) -> EmulatorLimits {
        var copy = self
        if let value = overrides.messagesPerSecond { copy.messagesPerSecond = value }
        if let value = overrides.pairBurst { copy.pairBurst = value }
        if let value = overrides.pairInterval { copy.pairInterval = value }
        if let value = overrides.templateCreatesPerHour { copy.templateCreatesPerHour = value }
        if let value = overrides.editsPer24h { copy.editsPer24h = value }
        if let value = overrides.editsPer30d { copy.editsPer30d = value }
        if let value = overrides.templatesPerAccount { copy.templatesPerAccount = value }
        return copy
    }
}
