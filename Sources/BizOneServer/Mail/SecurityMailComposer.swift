import BizOneModel
import BizOneStore
import Foundation

/// The words of each security e-mail, from the queued mail, its event and the Mailer. Pure:
/// the reset token arrives already opened, and the time zone is UTC.
struct SecurityMailComposer: Sendable {
    var mailer: MailerSpec

    /// Subject and body; nil when a reset mail has no token to carry (its seal could not be
    /// opened: another secret key), which is not worth sending.
    func compose(_ mail: OutboxMail, resetToken: String?) -> (subject: String, body: String)? {
        let name = mail.user?.displayName ?? mail.recipient
        let event = mail.event
        let when = Timestamps.format(event?.at ?? mail.createdAt).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
        let from = event?.ip.map { " from \($0)" } ?? ""
        let notYou = "If this was not you, reset your password at once and sign out the devices you do not know (Sessions)."
        var lines: [String]
        let subject: String
        switch mail.kind {
        case .newDeviceSignIn:
            subject = "New sign-in to your BizOne account"
            let agent = event?.detail.flatMap { $0.hasPrefix("agent: ") ? String($0.dropFirst(7)) : nil } ?? "an unknown device"
            lines = ["Your account \(mail.recipient) was signed in to on \(when)\(from), on a device not seen before:", "", "  \(agent)", "", notYou]
        case .passwordChanged:
            subject = "Your BizOne password was changed"
            lines = ["The password of \(mail.recipient) was changed on \(when)\(from). Your other devices were signed out.", "", notYou]
        case .passwordReset:
            subject = "Your BizOne password was reset"
            lines = ["The password of \(mail.recipient) was reset on \(when)\(from), and every device was signed out.", "",
                     "If this was not you, tell your BizOne admin at once."]
        case .passwordResetRequested:
            guard let resetToken else { return nil }
            subject = "Reset your BizOne password"
            let link = mailer.consoleURL.map { base in
                (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/reset-password#token=" + resetToken
            }
            lines = ["Someone asked to reset the password of \(mail.recipient) on \(when)\(from).", ""]
            if let link {
                lines += ["To choose a new password, open this link within 30 minutes (it works once):", "", "  \(link)", ""]
            } else {
                lines += ["To choose a new password within 30 minutes, send this one-time token with the new password to",
                          "POST /api/auth/password/reset:", "", "  \(resetToken)", ""]
            }
            lines += ["Resetting signs out every device. If you did not ask for this, ignore this e-mail: your password stays."]
        case .twoFactorEnabled:
            subject = "Two-factor sign-in is on for your BizOne account"
            lines = ["Two-factor sign-in (TOTP) was turned on for \(mail.recipient) on \(when)\(from).",
                     "Keep your recovery codes somewhere safe.", "", notYou]
        case .twoFactorDisabled:
            subject = "Two-factor sign-in is off for your BizOne account"
            lines = ["Two-factor sign-in was turned off for \(mail.recipient) on \(when)\(from).", "", notYou]
        case .recoveryCodeUsed:
            subject = "A recovery code was used to sign in to BizOne"
            lines = ["A recovery code of \(mail.recipient) was used to sign in on \(when)\(from). It will not work again.", "", notYou]
        case .accountLocked:
            subject = "Your BizOne account is locked for now"
            let reason = event?.detail.map { " (\($0))" } ?? ""
            lines = ["Sign-in to \(mail.recipient) is locked after repeated failed attempts\(reason), the last\(from) on \(when).", "",
                     "It unlocks by itself. If the attempts were not yours, someone is guessing your password: choose a strong one."]
        }
        return (subject, (["Hello \(name),", ""] + lines + ["", "-- BizOne"]).joined(separator: "\n"))
    }
}
