/// One webhook callback URL and the secrets Meta uses with it (reference §11).
///
/// The endpoint answers at `path` and at `path + "/meta"`. Secrets are never logged.
public struct WebhookEndpoint: Sendable {
    /// Route path, e.g. `/api/webhooks/whatsapp`.
    public var path: String
    /// The integration this callback belongs to (for logs and metrics, never a secret).
    public var integration: String
    /// Key of `X-Hub-Signature-256` (HMAC-SHA256 over the raw body).
    public var appSecret: String
    /// Token Meta echoes in the GET handshake; nil refuses every handshake.
    public var verifyToken: String?

    public init(path: String = "/api/webhooks/whatsapp", integration: String, appSecret: String, verifyToken: String?) {
        self.path = path
        self.integration = integration
        self.appSecret = appSecret
        self.verifyToken = verifyToken
    }

    /// The route paths served for this endpoint: `path` and `path/meta`.
    public var routePaths: [String] {
        let base = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        return [base, base == "/" ? "/meta" : base + "/meta"]
    }
}

extension WebhookEndpoint: CustomStringConvertible {
    /// Path and integration only: the secrets stay out of logs and string interpolation.
    public var description: String { "WebhookEndpoint(path: \(path), integration: \(integration))" }
}
