import BizOneModel
import BizOneStore
import Foundation

/// What `bizone status` shows, as data first so text and JSON agree.
struct StatusReport: Encodable {
    struct Run: Encodable {
        var id: String
        var actor: String
        var revision: String?
        var startedAt: Date
        var finishedAt: Date?
        var outcome: String
        var changes: Int
    }

    struct Entry: Encodable {
        var id: String
        var kind: String
        var name: String
        var health: String
        var detail: String
        var appliedAt: Date
        var contentHash: String
        /// Templates: Meta's view.
        var status: String?
        var quality: String?
        var reason: String?
        var statusChangedAt: Date?
    }

    var statePath: String
    var lineage: String
    var serial: Int
    var lock: String?
    var lastApply: Run?
    var resources: [Entry]
    var conversations: Conversations
    var events: Events

    struct Conversations: Encodable {
        var open: Int
        var unread: Int
        var recent: [Line]

        struct Line: Encodable {
            var id: Int64
            var contact: String
            var unread: Int
            var lastInboundAt: Date?
            var assigned: String?
        }
    }

    struct Events: Encodable {
        var accepted: Int
        var rejected: Int
        var processed: Int
        var failed: Int
        var backlog: Int
        var messages: [String: Int]
    }

    static func build(store: StateStore) throws -> StatusReport {
        let info = try store.info()
        var lastApply: Run?
        if let run = try store.applyRuns(limit: 1).first {
            lastApply = Run(id: run.id, actor: run.actor, revision: run.revision, startedAt: run.startedAt,
                            finishedAt: run.finishedAt, outcome: run.outcome, changes: try store.changes(runID: run.id).count)
        }
        let applied = try store.appliedResources().sorted { $0.id < $1.id }
        let ids = Set(applied.map(\.id))
        let users = Dictionary(uniqueKeysWithValues: try store.users().map { ($0.name, $0) })
        let templates = try store.templateRecords()
        var entries: [Entry] = []
        for resource in applied {
            var health = "Synced"
            var detail = ""
            switch resource.kind {
            case .audience:
                let members = try store.audienceMemberCount(resource.id.name)
                if let spec = try? resource.content["spec"]?.decode(AudienceSpec.self) {
                    let counts = try store.audienceCounts(resource.id.name, spec: spec, now: Date())
                    detail = "\(counts.final) reachable of \(counts.contacts) contacts"
                        + (counts.optedOut > 0 ? ", \(counts.optedOut) opted out" : "") + (counts.excluded > 0 ? ", \(counts.excluded) excluded" : "")
                } else {
                    detail = "\(members) members"
                }
            case .user:
                if let user = users[resource.id.name] {
                    detail = "roles: \(user.roles.joined(separator: ", "))" + (user.disabled ? " (disabled)" : "")
                }
            case .campaign:
                let name = resource.content.value(at: "spec.template.name")?.stringValue ?? "?"
                let language = resource.content.value(at: "spec.template.language")?.stringValue ?? "?"
                let template = ResourceID(kind: .template, name: name, language: language)
                let status = templates[template]?.status
                if !ids.contains(template) || status != "APPROVED" {
                    health = "Blocked"
                    let reason = templates[template]?.reason.map { " (\($0))" } ?? ""
                    detail = !ids.contains(template) ? "template \(name)@\(language) is not approved (pending: needs Meta)"
                        : "template \(name)@\(language) is \(status ?? "not known at Meta")\(reason)"
                } else if resource.content.value(at: "spec.suspend") == .bool(true) {
                    health = "Suspended"
                }
            case .role:
                let areas = resource.content.value(at: "spec.permissions")?.objectValue?.keys.sorted() ?? []
                detail = areas.joined(separator: ", ")
            case .integration:
                let phone = resource.content.value(at: "spec.displayPhoneNumber")?.stringValue
                    ?? resource.content.value(at: "spec.phoneNumberId")?.stringValue ?? "?"
                let rate = resource.content.value(at: "spec.throughput.messagesPerSecond")?.canonicalString ?? "?"
                detail = "\(phone), \(rate) msg/s"
            case .mailer:
                let host = resource.content.value(at: "spec.host")?.stringValue ?? "?"
                let port = resource.content.value(at: "spec.port")?.canonicalString ?? "?"
                let security = resource.content.value(at: "spec.security")?.stringValue ?? "?"
                let mail = try store.mailOutboxCounts()
                detail = "smtp \(host):\(port) (\(security)); e-mails: \(mail.delivered) delivered, \(mail.queued) queued, \(mail.failed) given up"
                if mail.queued + mail.failed > 0, let error = mail.lastError {
                    health = mail.queued > 0 ? "Retrying" : "Degraded"
                    detail += "; last error: \(error)"
                }
            case .cannedResponse:
                detail = "/" + (resource.content.value(at: "spec.shortcode")?.stringValue ?? "?")
            case .sla:
                let counts = try store.slaBreachCounts().filter { $0.key.hasPrefix(resource.id.name + " ") }
                let breaches = counts.values.reduce(0, +)
                detail = breaches == 0 ? "no breach" : "\(breaches) breaches: " + counts.sorted { $0.key < $1.key }
                    .map { "\($0.value) \($0.key.dropFirst(resource.id.name.count + 1))" }.joined(separator: ", ")
            case .schedule:
                let zone = resource.content.value(at: "spec.timezone")?.stringValue ?? "UTC"
                if let cron = resource.content.value(at: "spec.cron")?.stringValue {
                    detail = "cron \(cron) (\(zone))"
                } else if let at = resource.content.value(at: "spec.at")?.stringValue {
                    detail = "once at \(at)"
                }
            case .webhookRoute:
                let field = resource.content.value(at: "spec.match.field")?.stringValue ?? "any field"
                let actions = resource.content.value(at: "spec.actions").flatMap { value -> [String]? in
                    guard case .array(let items) = value else { return nil }
                    return items.compactMap { $0["type"]?.stringValue }
                } ?? []
                detail = "\(field) -> \(actions.joined(separator: ", "))"
            case .template:
                let record = templates[resource.id]
                health = TemplateHealth.of(record?.status)
                let since = record?.statusChangedAt.map { " since \(Timestamps.format($0))" } ?? ""
                detail = [record?.status.map { $0 + since }, record?.quality.map { "quality \($0)" }, record?.reason.map { "reason \($0)" },
                          record?.reasonDetail].compactMap { $0 }.joined(separator: ", ")
            }
            let record = resource.kind == .template ? templates[resource.id] : nil
            entries.append(Entry(id: "\(resource.id)", kind: resource.kind.rawValue, name: resource.id.name, health: health,
                                 detail: detail, appliedAt: resource.appliedAt, contentHash: resource.contentHash,
                                 status: record?.status, quality: record?.quality, reason: record?.reason,
                                 statusChangedAt: record?.statusChangedAt))
        }
        let open = try store.conversations(status: "open", limit: nil)
        let lines = open.prefix(10).map { conversation in
            Conversations.Line(id: conversation.id, contact: [conversation.name, conversation.phone].compactMap { $0 }.joined(separator: " ")
                                .ifEmpty(conversation.contactKey),
                               unread: conversation.unread, lastInboundAt: conversation.lastInboundAt,
                               assigned: conversation.assignedUser ?? conversation.assignedTeam.map { "team \($0)" })
        }
        let counts = try store.eventCounts()
        return StatusReport(statePath: store.path, lineage: info.lineage, serial: info.serial,
                            lock: info.lock.map { "\($0)" }, lastApply: lastApply, resources: entries,
                            conversations: Conversations(open: open.count, unread: open.reduce(0) { $0 + $1.unread }, recent: Array(lines)),
                            events: Events(accepted: counts.accepted, rejected: counts.rejected, processed: counts.processed,
                                           failed: counts.failed, backlog: try store.eventBacklog(), messages: try store.messageStatusCounts()))
    }

    func text(terminal: Terminal) -> String {
        var lines = ["State: \(statePath) (serial \(serial), lineage \(lineage))"]
        if let lock { lines.append(terminal.yellow("Locked: ") + lock) }
        if let run = lastApply {
            lines.append("Last apply: \(run.outcome) at \(Timestamps.format(run.startedAt)) by \(run.actor)"
                         + (run.revision.map { " at revision \($0.prefix(12))" } ?? "") + ", \(run.changes) change\(run.changes == 1 ? "" : "s") (run \(run.id))")
        } else {
            lines.append("Nothing applied yet.")
        }
        guard !resources.isEmpty else { return lines.joined(separator: "\n") }
        var table = TextTable(["RESOURCE", "HEALTH", "APPLIED", "DETAIL"])
        for entry in resources {
            table.add([entry.id, entry.health, Timestamps.format(entry.appliedAt), entry.detail])
        }
        lines.append("")
        lines.append(table.render())
        let counts = Dictionary(grouping: resources, by: \.health).map { "\($0.value.count) \($0.key.lowercased())" }.sorted()
        lines.append("")
        lines.append("\(resources.count) resources: \(counts.joined(separator: ", ")).")
        lines += activityLines()
        return lines.joined(separator: "\n")
    }

    /// Conversations and webhook activity, once `serve` has received anything.
    private func activityLines() -> [String] {
        var lines: [String] = []
        if events.accepted + events.rejected > 0 {
            let messages = events.messages.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            lines.append("")
            lines.append("Webhook events: \(events.accepted) accepted, \(events.rejected) rejected, \(events.processed) processed, "
                         + "\(events.failed) failed, \(events.backlog) waiting." + (messages.isEmpty ? "" : " Messages: \(messages)."))
        }
        if conversations.open > 0 {
            lines.append("")
            lines.append("Conversations: \(conversations.open) open, \(conversations.unread) unread messages.")
            var table = TextTable(["ID", "CONTACT", "UNREAD", "LAST INBOUND", "ASSIGNED"])
            for line in conversations.recent {
                table.add(["\(line.id)", line.contact, "\(line.unread)", line.lastInboundAt.map(Timestamps.format) ?? "-", line.assigned ?? "-"])
            }
            lines.append(table.render())
        }
        return lines
    }
}

extension String {
    func ifEmpty(_ fallback: String) -> String { isEmpty ? fallback : self }
}
