/// The SMTP server `serve` sends security e-mails through (new-device sign-in, password
/// reset, lockout, 2FA changes). At most one is declared; without one, e-mails wait in the
/// state's outbox until one is.
public struct MailerSpec: Sendable, Hashable, Codable {
    /// How the connection is protected.
    public enum Security: String, Sendable, Hashable, Codable, CaseIterable {
        /// Plain connection upgraded with STARTTLS before anything is sent; refused if the
        /// server does not offer it (submission, port 587).
        case starttls
        /// TLS from the first byte (SMTPS, port 465).
        case tls
        /// No encryption: loopback relays and test sinks only.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// The sender address (`From:` and the envelope).
    public var from: String
    public var fromName: String?
    public var username: String?
    public var password: SecretRef?
    /// Where people open the console, for links in e-mails (a password reset link).
    public var consoleURL: String?

    public init(host: String, port: Int = 587, security: Security = .starttls, from: String, fromName: String? = nil,
                username: String? = nil, password: SecretRef? = nil, consoleURL: String? = nil) {
        self.host = host
        self.port = port
        self.security = security
        self.from = from
        self.fromName = fromName
        self.username = username
        self.password = password
        self.consoleURL = consoleURL
    }

    public var secretRefs: [(field: String, ref: SecretRef)] {
        password.map { [("spec.password", $0)] } ?? []
    }

    public static let schema = ObjectSchema("The SMTP server that security e-mails go through.", [
        Property("host", .string(StringSchema(minLength: 1)), required: true, "SMTP server host name or address."),
        Property("port", .integer(minimum: 1, maximum: 65535), default: .int(587), "SMTP port (587 submission, 465 SMTPS, 25 relay)."),
        Property("security", .oneOf(Security.allCases.map(\.rawValue)), default: .string(Security.starttls.rawValue),
                 "starttls (required, not opportunistic), tls (SMTPS) or none (loopback only)."),
        Property("from", .string(.email), required: true, "Sender address."),
        Property("fromName", .string, "Sender name shown to people."),
        Property("username", .string, "SMTP user for AUTH; leave out for a relay without authentication."),
        Property("password", .secretRef, "SMTP password (a secret reference); needed with username."),
        Property("consoleURL", .string(.url), "The console's address, for links in e-mails (password reset)."),
    ])
}
