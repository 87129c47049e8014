import ArgumentParser
import BizOneModel
import BizOneStore
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List security events: sign-ins and failures, lockouts, token reuse, revokes, password changes, denials, user and role changes by apply.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only events at or after this time: ISO 8601 (2026-11-29T08:00:00Z) or an age (90m, 2h, 7d).")
    var since: String?

    @Option(help: "Only events of the user with this e-mail.")
    var user: String?

    @Option(help: "At most this many events (the newest).")
    var limit = 500

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        if let since { _ = try SinceTime.parse(since) }
        guard limit > 0 else { throw ValidationError("--limit \(limit): use a number above zero") }
    }

    func run() throws {
        _ = global.logger("bizone.audit")
        let store = try StateAccess.existing(global)
        var userName: String?
        if let user {
            guard let account = try store.account(email: user) else {
                Terminal.printError(global.terminal.red("error: ") + "no applied User has the e-mail \(user)")
                throw ExitCode(1)
            }
            userName = account.user.name
        }
        let events = try store.securityEvents(since: try since.map { try SinceTime.parse($0) }, userName: userName, limit: limit)
        if json {
            let rows: [[String: String]] = events.map { event in
                var row = ["at": Timestamps.format(event.at), "kind": event.kind.rawValue]
                row["id"] = event.id.map(String.init)
                row["user"] = event.userName
                row["email"] = event.email
                row["session"] = event.sessionID
                row["ip"] = event.ip
                row["detail"] = event.detail
                return row
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(["events": rows]), as: UTF8.self))
            return
        }
        guard !events.isEmpty else {
            print("No security events\(since.map { " since \($0)" } ?? "")\(user.map { " for \($0)" } ?? "").")
            return
        }
        var table = TextTable(["at", "event", "user", "ip", "detail"])
        for event in events {
            table.add([Timestamps.format(event.at), event.kind.rawValue, event.userName ?? event.email ?? "-", event.ip ?? "-",
                       event.detail ?? ""])
        }
        print(table.render())
    }
}
