import BizOneEngine
import BizOneModel
import Foundation

/// Everything `bizone serve` needs to listen and receive webhooks.
public struct ServerConfiguration: Sendable {
    /// Interface to bind; loopback by default.
    public var host: String
    /// Port to bind; 0 picks a free one (read it from the `onRunning` callback).
    public var port: Int
    /// Webhook callbacks; each also answers at `path + "/meta"`.
    public var endpoints: [WebhookEndpoint]
    /// Largest webhook body accepted (Meta: up to 3 MB); larger is 413 and nothing is stored.
    public var maxBodyBytes: Int
    /// Most events the writer commits in one transaction.
    public var batchMaxEvents: Int
    /// How long the writer waits for more events after the first one of a batch.
    public var batchMaxDelay: Duration
    /// Readiness fails when more accepted events than this wait for processing.
    public var readyMaxBacklog: Int
    /// Readiness and `/metrics` say processing is behind (still ready) above this many waiting
    /// events, or when the oldest has waited longer than `behindAge`.
    public var behindBacklog: Int
    public var behindAge: Duration
    /// The clock readiness and `/metrics` measure the oldest waiting event's age with (tests
    /// move it instead of waiting).
    public var now: @Sendable () -> Date = Date.init
    /// How long a client may take to send a request's headers (counted from the connection
    /// opening or the previous answer, so it is also how long an idle keep-alive connection
    /// stays open), and then again its whole body. A client past either deadline is dropped.
    public var readTimeout: Duration
    /// Sign-in: token lifetimes, bcrypt cost, password rules.
    public var auth = AuthSettings()
    /// Processes stored webhook events again (`POST /api/webhook-events/{id}/replay`); the
    /// composition root passes its event processor. nil: replay answers 503.
    public var replay: (@Sendable ([Int64]) async throws -> ProcessingReport)?
    /// Content hashes of the resources in the pipeline files serve was started with, by id
    /// (`template/welcome@en_US`); nil when it was started without paths (sync is unknown then).
    public var desiredHashes: [String: String]?
    /// The declared campaigns' forecasts (audience, rate, next runs, why one is blocked), from the
    /// pipeline files serve was started with; nil without them.
    public var forecast: (@Sendable () async -> [CampaignForecast])?

    public init(host: String = "127.0.0.1", port: Int = 8080, endpoints: [WebhookEndpoint] = [],
                maxBodyBytes: Int = 3 * 1024 * 1024, batchMaxEvents: Int = 256,
                batchMaxDelay: Duration = .milliseconds(2), readyMaxBacklog: Int = 10_000,
                behindBacklog: Int = 1_000, behindAge: Duration = .seconds(5),
                readTimeout: Duration = .seconds(30)) {
        self.host = host
        self.port = port
        self.endpoints = endpoints
        self.maxBodyBytes = maxBodyBytes
        self.batchMaxEvents = batchMaxEvents
        self.batchMaxDelay = batchMaxDelay
        self.readyMaxBacklog = readyMaxBacklog
        self.behindBacklog = behindBacklog
        self.behindAge = behindAge
        self.readTimeout = readTimeout
    }

    var pressureLimits: ProcessingPressure.Limits {
        let age = Double(behindAge.components.seconds) + Double(behindAge.components.attoseconds) / 1e18
        return ProcessingPressure.Limits(maxBacklog: readyMaxBacklog, behindBacklog: behindBacklog, behindAge: age)
    }
}
