import BizOneModel
import BizOneStore
import Foundation

/// `bizone user invite`: a one-time token that lets a declared, applied user set a password.
public enum Invitation {
    public struct Issued: Sendable {
        public var token: String
        public var user: UserRecord
        public var expiresAt: Date
    }

    public enum Refusal: Error, CustomStringConvertible {
        case unknownUser(String)
        case disabled(String)

        public var description: String {
            switch self {
            case .unknownUser(let email):
                return "no applied User has the e-mail \(email): declare it in a User document and apply first"
            case .disabled(let email):
                return "the user \(email) is disabled (spec.disabled: true) and cannot sign in"
            }
        }
    }

    /// Issues the token (earlier unused invitations of the user stop working) and records an
    /// `invite_issued` security event naming `actor`.
    public static func issue(store: StateStore, email: String, actor: String, settings: AuthSettings = AuthSettings(),
                             now: Date = Date()) throws -> Issued {
        guard let account = try store.account(email: email) else { throw Refusal.unknownUser(email) }
        guard !account.user.disabled else { throw Refusal.disabled(account.user.email) }
        let token = SecretToken.make(.invite, random: settings.random)
        let expires = now + settings.inviteLifetime
        try store.issueUserToken(hash: SecretToken.hash(token), userName: account.user.name, purpose: .invite, at: now, expiresAt: expires,
                                 event: SecurityEvent(at: now, kind: .inviteIssued, userName: account.user.name, email: account.user.email,
                                                      detail: "by \(actor)"))
        return Issued(token: token, user: account.user, expiresAt: expires)
    }
}
