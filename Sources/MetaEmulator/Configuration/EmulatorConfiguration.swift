/// Everything `MetaEmulator.start` needs: where to listen, which ids and secrets to pretend to
/// have, where to post webhooks, the review/recipient rules, limits, timing, the seed for every
/// generated id and the clock.
public struct EmulatorConfiguration: Sendable {
    public var host: String
    /// 0 asks the system for an ephemeral port (see `RunningEmulator.port`).
    public var port: Int
    /// The only bearer token accepted; anything else is answered with code 190.
    public var accessToken: String
    /// Key of the `X-Hub-Signature-256` HMAC on every webhook.
    public var appSecret: String
    /// Sent in the GET handshake before the first delivery to a URL; nil skips the handshake.
    public var verifyToken: String?
    public var businessAccountID: String
    public var phoneNumberID: String
    public var displayPhoneNumber: String
    public var verifiedName: String
    /// `quality_rating` of the phone number.
    public var qualityRating: String
    /// `whatsapp_business_manager_messaging_limit` of the phone number.
    public var messagingLimitTier: String
    /// Callback URL for webhooks; nil keeps events in the emulator only.
    public var webhookURL: String?
    /// Initial webhook misbehaviour (duplicates, reordering, delay); changeable at run time.
    public var webhookBehaviour: WebhookBehaviour
    public var rules: EmulatorRules
    /// Seed of every generated id (template ids, wamids, trace ids, cursors, challenges).
    public var seed: UInt64
    public var limits: EmulatorLimits
    public var timing: EmulatorTiming
    public var clock: EmulatorClock
    /// Version assumed for paths without a `/vNN.N/` prefix.
    public var defaultVersion: String

    public init(host: String = "127.0.0.1", port: Int = 8089, accessToken: String = "emulator-access-token",
                appSecret: String = "emulator-app-secret", verifyToken: String? = "emulator-verify-token",
                businessAccountID: String = "102290129340398", phoneNumberID: String = "106540352242922",
                displayPhoneNumber: String = "+1 555-010-0100", verifiedName: String = "BizOne Emulator",
                qualityRating: String = "GREEN", messagingLimitTier: String = "TIER_250", webhookURL: String? = nil,
                webhookBehaviour: WebhookBehaviour = WebhookBehaviour(), rules: EmulatorRules = EmulatorRules(),
                seed: UInt64 = 1, limits: EmulatorLimits = EmulatorLimits(), timing: EmulatorTiming = EmulatorTiming(),
                clock: EmulatorClock = .system, defaultVersion: String = "v23.0") {
        self.host = host
        self.port = port
        self.accessToken = accessToken
        self.appSecret = appSecret
        self.verifyToken = verifyToken
        self.businessAccountID = businessAccountID
        self.phoneNumberID = phoneNumberID
        self.displayPhoneNumber = displayPhoneNumber
        self.verifiedName = verifiedName
        self.qualityRating = qualityRating
        self.messagingLimitTier = messagingLimitTier
        self.webhookURL = webhookURL
        self.webhookBehaviour = webhookBehaviour
        self.rules = rules
        self.seed = seed
        self.limits = limits
        self.timing = timing
        self.clock = clock
        self.defaultVersion = defaultVersion
    }

    /// The configuration with the rules file's `limits`, `timing` and `webhook` sections applied.
    public var effective: EmulatorConfiguration {
        var copy = self
        if let overrides = rules.limits { copy.limits = copy.limits.applying(overrides) }
        if let overrides = rules.timing { copy.timing = copy.timing.applying(overrides) }
        if let behaviour = rules.webhook { copy.webhookBehaviour = behaviour }
        return copy
    }
}
