import ArgumentParser
import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation

/// `bizone webhooks list|show|replay`: the event log `bizone serve` keeps.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Inspect and replay the webhook event log that bizone serve keeps.",
        subcommands: [WebhooksListCommand.self, WebhooksShowCommand.self, WebhooksReplayCommand.self])
}

/// Options shared by `list` and `replay` to pick events.
struct WebhookSelection: ParsableArguments {
    @Option(name: .long, help: "Only events received at or after this time: ISO 8601 (2026-11-29T08:00:00Z) or an age (90m, 2h, 7d).")
    var since: String?

    @Option(name: .customLong("id"), parsing: .upToNextOption, help: "Only these event ids (repeatable).")
    var ids: [Int64] = []

    func sinceDate(now: Date = Date()) throws -> Date? {
        guard let since else { return nil }
        return try SinceTime.parse(since, now: now)
    }

    func validate() throws {
        _ = try sinceDate()
    }
}

struct WebhooksListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List stored webhook events: when, where, accepted or rejected, processed, errors, size.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: WebhookSelection

    @Option(name: .long, help: "At most this many events: the newest ones, or the first ones after --since.")
    var limit: Int = 50

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        _ = global.logger("bizone.webhooks")
        let store = try StateAccess.existing(global)
        let events = try WebhookListing.select(store: store, since: try selection.sinceDate(),
                                               ids: selection.ids.isEmpty ? nil : selection.ids, limit: limit)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(events.map(WebhookListing.Row.init)), as: UTF8.self))
            return
        }
        guard !events.isEmpty else {
            print("No webhook events" + (selection.since != nil || !selection.ids.isEmpty ? " match." : " are stored."))
            return
        }
        // Plain cells: color codes would break the column alignment.
        var table = TextTable(["ID", "RECEIVED", "PATH", "OUTCOME", "PROCESSED", "ERROR", "SIZE"])
        for event in events {
            let processed: String
            if event.outcome == .rejected {
                processed = "-"
            } else if let at = event.processedAt {
                processed = Timestamps.format(at)
            } else {
                processed = "pending"
            }
            let error = WebhookListing.shorten(event.processingError ?? event.rejectReason ?? "", to: 60)
            table.add([String(event.id), Timestamps.format(event.receivedAt), event.path, event.outcome.rawValue, processed,
                       error, WebhookListing.size(event.body.count)])
        }
        print(table.render())
    }
}

struct WebhooksShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one stored webhook event: its metadata, what it holds, and its body as pretty JSON.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The event id (see bizone webhooks list).")
    var id: Int64

    func run() throws {
        _ = global.logger("bizone.webhooks")
        let store = try StateAccess.existing(global)
        guard let event = try store.webhookEvent(id: id) else {
            Terminal.printError(global.terminal.red("error: ") + "no webhook event \(id) in \(global.statePath)")
            throw ExitCode(1)
        }
        let terminal = global.terminal
        var lines = [
            terminal.bold("Event \(event.id)"),
            "  received     \(Timestamps.format(event.receivedAt))",
            "  path         \(event.path)",
            "  outcome      \(event.outcome.rawValue)" + (event.rejectReason.map { " (\($0))" } ?? ""),
            "  deliveries   \(event.deliveries)",
            "  size         \(WebhookListing.size(event.body.count))",
            "  hash         \(event.bodyHash)",
        ]
        if event.outcome == .accepted {
            lines.append("  processed    " + (event.processedAt.map(Timestamps.format) ?? "pending"))
        }
        if let error = event.processingError { lines.append("  error        " + terminal.red(error)) }
        if let items = try? EventDecoder.decode(event.body, receivedAt: event.receivedAt) {
            lines.append("  items        \(items.count)")
            for item in items.prefix(50) { lines.append("    " + WebhookListing.describe(item)) }
            if items.count > 50 { lines.append("    ... and \(items.count - 50) more") }
        }
        lines.append("")
        lines.append(WebhookListing.pretty(event.body))
        print(lines.joined(separator: "\n"))
    }
}

struct WebhooksReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Process stored events again (all accepted events by default). Safe: processing is idempotent.",
        discussion: """
            Statuses already in the ledger, messages already recorded, forwards already queued and template \
            statuses already stored change nothing, so replaying everything twice changes nothing. Auto-replies \
            go out only for inbound messages not recorded before. The processing cursor is left alone.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: WebhookSelection

    func run() async throws {
        let logger = global.logger("bizone.webhooks")
        let store = try StateStore(path: global.statePath)
        let meta = GraphConnection.clients(for: try GraphConnection.integrations(in: store), logger: logger)
        let processor = EventProcessor(store: store, meta: meta, logger: logger)
        let since = try selection.sinceDate()
        let report = try await Reporting.graphErrors {
            try await WebhookListing.replay(store: store, processor: processor, since: since,
                                            ids: selection.ids.isEmpty ? nil : selection.ids)
        }
        print(WebhookListing.summary(report))
        if !report.errors.isEmpty {
            for (id, error) in report.errors.sorted(by: { $0.key < $1.key }).prefix(20) {
                Terminal.printError(global.terminal.red("event \(id): ") + error)
            }
            throw ExitCode(1)
        }
    }
}

/// Reading and printing the event log for the commands above.
enum WebhookListing {
    static let page = 500

    struct Row: Encodable {
        var id: Int64
        var receivedAt: String
        var path: String
        var outcome: String
        var rejectReason: String?
        var processedAt: String?
        var error: String?
        var size: Int
        var deliveries: Int
        var bodyHash: String

        init(_ event: StoredWebhookEvent) {
            id = event.id
            receivedAt = Timestamps.format(event.receivedAt)
            path = event.path
            outcome = event.outcome.rawValue
            rejectReason = event.rejectReason
            processedAt = event.processedAt.map(Timestamps.format)
            error = event.processingError
            size = event.body.count
            deliveries = event.deliveries
            bodyHash = event.bodyHash
        }
    }

    /// By ids, or the first `limit` since a time, or else the newest `limit` (read page by
    /// page, keeping only the last ones).
    static func select(store: StateStore, since: Date?, ids: [Int64]?, limit: Int) throws -> [StoredWebhookEvent] {
        if ids != nil || since != nil {
            return try store.webhookEvents(since: since, ids: ids, limit: limit)
        }
        var newest: [StoredWebhookEvent] = []
        var after: Int64 = 0
        while true {
            let chunk = try store.webhookEvents(after: after, limit: page, onlyAccepted: false)
            guard let last = chunk.last else { break }
            newest.append(contentsOf: chunk)
            if newest.count > limit { newest.removeFirst(newest.count - limit) }
            after = last.id
        }
        return newest
    }

    /// Processes the selected accepted events, a page at a time.
    static func replay(store: StateStore, processor: EventProcessor, since: Date?, ids: [Int64]?) async throws -> ProcessingReport {
        if let ids {
            return try await processor.process(events: try store.webhookEvents(since: since, ids: ids, limit: nil))
        }
        var after: Int64 = 0
        if let since {
            guard let first = try store.webhookEvents(since: since, ids: nil, limit: 1).first else { return ProcessingReport() }
            after = first.id - 1
        }
        var total = ProcessingReport()
        while true {
            let chunk = try store.webhookEvents(after: after, limit: page, onlyAccepted: true)
            guard let last = chunk.last else { break }
            total.add(try await processor.process(events: chunk))
            after = last.id
        }
        return total
    }

    static func summary(_ report: ProcessingReport) -> String {
        func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        var lines = ["Replayed \(plural(report.events, "event")) (\(plural(report.items, "item")))."]
        lines.append("  statuses      \(report.statusesAdvanced) applied, \(report.statusesStale) late, "
            + "\(report.statusesDuplicate) already known")
        lines.append("  inbound       \(report.inboundNew) new, \(report.inboundDuplicate) already recorded")
        lines.append("  templates     \(report.templateUpdates) updated, \(report.templateIgnored) unchanged or ignored")
        lines.append("  routes        \(report.forwardsEnqueued) forwards queued, \(report.assignments) assignments, "
            + "\(report.optOuts) opt-outs, \(report.autoReplies) auto-replies")
        if report.metaErrors > 0 { lines.append("  meta errors   \(report.metaErrors)") }
        if report.ignoredItems > 0 { lines.append("  ignored       \(report.ignoredItems) items of unhandled fields or unreadable") }
        lines.append("  failed        \(report.failedEvents)")
        lines.append(report.changedAnything ? "State changed." : "Nothing changed.")
        return lines.joined(separator: "\n")
    }

    /// One line per item for `show`.
    static func describe(_ item: WebhookItem) -> String {
        switch item {
        case .status(let status):
            return "status   \(status.status) \(status.wamid)" + (status.errorCode.map { " error \($0)" } ?? "")
        case .inbound(let message):
            return "message  \(message.type) from \(message.contactKey)" + (message.text.map { ": \(shorten($0, to: 60))" } ?? "")
        case .templateStatus(let event):
            return "template \(event.subject.name ?? "?")@\(event.subject.language ?? "?") \(event.event)"
                + (event.reason.map { " (\($0))" } ?? "")
        case .templateQuality(let event):
            return "template \(event.subject.name ?? "?")@\(event.subject.language ?? "?") quality \(event.newScore)"
        case .templateCategory(let event):
            return "template \(event.subject.name ?? "?")@\(event.subject.language ?? "?") category "
                + (event.isImpending ? "will become \(event.upcomingCategory ?? "?")" : "\(event.newCategory ?? "?")")
        case .valueErrors(let field, let errors):
            return "errors   \(field): " + errors.map { "\($0.code) \($0.title ?? "")" }.joined(separator: "; ")
        case .unknown(let field):
            return "field    \(field) (not handled; kept)"
        case .malformed(let field, let reason):
            return "unreadable \(field): \(reason)"
        }
    }

    /// The body as indented JSON with sorted keys, or as text when it is not JSON.
    static func pretty(_ body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]),
           let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) {
            return String(decoding: data, as: UTF8.self)
        }
        return String(decoding: body, as: UTF8.self)
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    static func shorten(_ text: String, to length: Int) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count <= length ? line : String(line.prefix(length - 1)) + "…"
    }
}
