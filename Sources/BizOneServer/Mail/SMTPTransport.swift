import BizOneModel
import CSMTP
import Foundation

/// Hands one e-mail to an SMTP server. The live one is `CurlSMTPTransport`; unit tests inject
/// fakes.
public protocol SMTPTransport: Sendable {
    /// Returns once the server accepted the message; throws `SMTPError` otherwise.
    func send(_ message: String, from: String, to: String, via mailer: MailerSpec, password: String?) async throws
}

public struct SMTPError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// The server's last reply code (0: none, e.g. the connection failed).
    public var replyCode: Int

    public var description: String { replyCode > 0 ? "\(message) (SMTP \(replyCode))" : message }
}

/// libcurl's SMTP client (through the `CSMTP` shim): STARTTLS, SMTPS, AUTH and the protocol's
/// details are curl's, which is well tried; the call blocks, so it runs on its own queue.
public struct CurlSMTPTransport: SMTPTransport {
    static let queue = DispatchQueue(label: "bizone.smtp", attributes: .concurrent)
    public var timeoutSeconds: Int

    public init(timeoutSeconds: Int = 30) {
        self.timeoutSeconds = timeoutSeconds
    }

    public func send(_ message: String, from: String, to: String, via mailer: MailerSpec, password: String?) async throws {
        guard Self.isHost(mailer.host) else {
            throw SMTPError(message: "the Mailer's host \"\(MailMessage.clean(mailer.host))\" is not a host name or address", replyCode: 0)
        }
        let timeout = timeoutSeconds
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Self.queue.async {
                continuation.resume(with: Result { try Self.sendBlocking(message, from: from, to: to, mailer: mailer, password: password,
                                                                         timeout: timeout) })
            }
        }
    }

    static func sendBlocking(_ message: String, from: String, to: String, mailer: MailerSpec, password: String?, timeout: Int) throws {
        let security: bizone_smtp_security = switch mailer.security {
        case .none: BIZONE_SMTP_PLAIN
        case .starttls: BIZONE_SMTP_STARTTLS
        case .tls: BIZONE_SMTP_TLS
        }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        var reply = 0
        let bytes = Array(message.utf8)
        let result: Int32 = mailer.host.withCString { host in
            from.withCString { from in
                to.withCString { to in
                    withOptionalCString(mailer.username) { username in
                        withOptionalCString(password) { password in
                            bytes.withUnsafeBufferPointer { body in
                                body.withMemoryRebound(to: CChar.self) { chars in
                                    var request = bizone_smtp_request(
                                        host: host, port: Int32(clamping: mailer.port), security: security,
                                        username: username, password: password, from: from, recipient: to,
                                        message: chars.baseAddress, message_length: chars.count, timeout_seconds: timeout)
                                    return bizone_smtp_send(&request, &errorBuffer, errorBuffer.count, &reply)
                                }
                            }
                        }
                    }
                }
            }
        }
        guard result == 0 else {
            let text = errorBuffer.withUnsafeBufferPointer { pointer in
                pointer.baseAddress.map { String(cString: $0) } ?? ""
            }
            throw SMTPError(message: text.isEmpty ? "SMTP failed (curl \(result))" : text, replyCode: reply)
        }
    }

    /// A DNS name or an IPv4/IPv6 literal: nothing that could change the URL curl is given.
    static func isHost(_ host: String) -> Bool {
        !host.isEmpty && host.count <= 253
            && host.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || ".-:".unicodeScalars.contains($0) }
    }
}

private func withOptionalCString<T>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
