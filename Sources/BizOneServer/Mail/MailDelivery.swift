import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import Logging

/// Delivers the security e-mails queued in the state (`mail_outbox`) through the applied
/// Mailer, every `interval`.
///
/// Contract:
/// - A mail is claimed for `lease` before it is sent, so servers sharing one state do not
///   send it twice; a server that dies mid-send leaves it to be claimed again when the lease
///   runs out (at-least-once: a crash between SMTP's accept and the mark can send it twice).
/// - A failed attempt (server refused, unreachable, no Mailer password) is recorded with its
///   error and tried again by `MailRetry`; after its last attempt the mail is given up.
/// - Without an applied Mailer nothing is claimed: mails wait, and the log says why once.
/// - The Mailer is read from the state every round, so `apply` changes it without a restart.
/// - A reset e-mail's token is opened from its seal only here, and only into the message.
public final class MailDelivery: Sendable {
    public struct Configuration: Sendable {
        public var interval: Duration
        public var lease: TimeInterval
        public var batchSize: Int
        public var retry: MailRetry

        public init(interval: Duration = .seconds(1), lease: TimeInterval = 120, batchSize: Int = 20, retry: MailRetry = MailRetry()) {
            self.interval = interval
            self.lease = lease
            self.batchSize = max(1, batchSize)
            self.retry = retry
        }
    }

    /// What one round did.
    public struct Round: Sendable, Hashable {
        public var delivered = 0
        public var failed = 0
    }

    let store: StateStore
    let transport: any SMTPTransport
    let configuration: Configuration
    let sealer: SecretSealer?
    let logger: Logger
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let resolveSecret: @Sendable (SecretRef) -> String?
    let warnedNoMailer = LockedFlag()

    /// - Parameter secretKey: serve's `BIZONE_SECRET_KEY`, which opens reset tokens.
    public init(store: StateStore, transport: any SMTPTransport, configuration: Configuration = Configuration(), secretKey: String?,
                logger: Logger = Logger(label: "bizone.mail"), now: @escaping @Sendable () -> Date = Date.init,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                resolveSecret: @escaping @Sendable (SecretRef) -> String? = { SecretResolver.resolve($0) }) {
        self.store = store
        self.transport = transport
        self.configuration = configuration
        self.sealer = secretKey.flatMap { $0.isEmpty ? nil : SecretSealer.mail(secret: $0) }
        self.logger = logger
        self.now = now
        self.sleep = sleep
        self.resolveSecret = resolveSecret
    }

    /// Delivers until cancelled.
    public func run() async throws {
        logger.info("mail delivery started")
        await PollingLoop.run(every: configuration.interval, sleep: sleep, onError: { error in
            logger.error("mail delivery round failed; will retry", metadata: ["error": "\(error)"])
        }) {
            _ = try await deliverDue()
        }
        logger.info("mail delivery stopped")
    }

    /// One round: every mail due now, up to `batchSize`, one after another.
    @discardableResult
    public func deliverDue() async throws -> Round {
        var round = Round()
        guard let mailer = try store.appliedMailer() else {
            if try store.nextMailDue() != nil, warnedNoMailer.setOnce() {
                logger.warning("security e-mails are queued but no Mailer is applied: declare one (kind: Mailer) and apply")
            }
            return round
        }
        let mails = try store.claimMails(at: now(), lease: configuration.lease, limit: configuration.batchSize)
        for mail in mails {
            let error = await attempt(mail, mailer: mailer.spec)
            let next = try store.finishMail(id: mail.id, at: now(), error: error, retry: configuration.retry)
            let metadata: Logger.Metadata = ["mail": "\(mail.id)", "kind": "\(mail.kind.rawValue)", "attempt": "\(mail.attempts + 1)"]
            if let error {
                round.failed += 1
                if let next {
                    logger.warning("security e-mail not delivered; will retry",
                                   metadata: metadata.merging(["error": "\(error)", "next": "\(Timestamps.format(next))"]) { $1 })
                } else {
                    logger.error("security e-mail given up", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                }
            } else {
                round.delivered += 1
                logger.info("security e-mail delivered", metadata: metadata)
            }
        }
        return round
    }

    /// One attempt; the error, or nil when the server accepted it.
    func attempt(_ mail: OutboxMail, mailer: MailerSpec) async -> String? {
        var token: String?
        if let sealed = mail.sealedSecret {
            guard let sealer, let opened = sealer.open(sealed) else {
                return "the reset token cannot be opened: BIZONE_SECRET_KEY is not set or is not the key it was sealed with"
            }
            token = opened
        }
        guard let (subject, body) = SecurityMailComposer(mailer: mailer).compose(mail, resetToken: token) else {
            return "nothing to send"
        }
        var password: String?
        if let ref = mailer.password {
            guard let value = resolveSecret(ref) else { return "the Mailer's password (\(ref)) is not set" }
            password = value
        }
        let message = MailMessage(from: .init(email: mailer.from, name: mailer.fromName ?? "BizOne"),
                                  to: .init(email: mail.recipient, name: mail.user?.displayName),
                                  subject: subject, body: body, date: now(),
                                  messageID: "mail-\(mail.id).\(Int(mail.createdAt.timeIntervalSince1970))@bizone")
        do {
            try await transport.send(message.rendered(), from: mailer.from, to: mail.recipient, via: mailer, password: password)
            return nil
        } catch {
            return "\(error)"
        }
    }
}

/// A flag that is set once, from any thread.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false

    /// True the first time only.
    func setOnce() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if set { return false }
        set = true
        return true
    }
}
