import ArgumentParser
import BizOneModel
import BizOneServer
import BizOneStore
import Foundation

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Sign-in for the declared users.",
        subcommands: [UserInviteCommand.self])
}

struct UserInviteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Print a one-time link that lets a declared, applied user set their password.",
        discussion: """
            The token is shown once and stored only as a hash; it expires after 72 hours, and a new
            invitation replaces the previous one. The person sets a password with
            POST /api/auth/password/set {"token": ..., "password": ...} on `bizone serve`.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The user's e-mail, as declared in their User document.")
    var email: String

    @Option(help: "Where `bizone serve` is reached, for the printed link.")
    var url = "http://127.0.0.1:8080"

    func run() throws {
        _ = global.logger("bizone.user")
        let store = try StateAccess.existing(global)
        let actor = RunContext.actor(revisionFrom: []).who
        let issued: Invitation.Issued
        do {
            issued = try Invitation.issue(store: store, email: email, actor: "\(actor) (bizone user invite)")
        } catch let refusal as Invitation.Refusal {
            Terminal.printError(global.terminal.red("error: ") + refusal.description)
            throw ExitCode(1)
        }
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        print("Invitation for \(issued.user.displayName) <\(issued.user.email)>, valid until \(Timestamps.format(issued.expiresAt)):")
        print("  token: \(issued.token)")
        print("  set a password: POST \(base)/api/auth/password/set {\"token\": \"<token>\", \"password\": \"...\"}")
    }
}
