import ArgumentParser
import BizOneModel
import BizOneStore
import Foundation

/// `bizone status KIND/NAME`: one resource, and for templates Meta's status and its history.
enum ResourceDetail {
    struct Document: Encodable {
        var id: String
        var appliedAt: Date?
        var contentHash: String?
        var health: String?
        var record: TemplateRecord?
        var history: [TemplateHistoryEntry]
    }

    static func show(_ id: ResourceID, store: StateStore, json: Bool, terminal: Terminal) throws {
        let applied = try store.appliedResource(id)
        let record = id.kind == .template ? try store.templateRecords()[id] : nil
        let history = id.kind == .template ? try store.templateHistory(id) : []
        guard applied != nil || record != nil || !history.isEmpty else {
            Terminal.printError("error: \(id) is not in the state file")
            throw ExitCode(1)
        }
        let document = Document(id: "\(id)", appliedAt: applied?.appliedAt, contentHash: applied?.contentHash,
                                health: id.kind == .template ? TemplateHealth.of(record?.status) : (applied == nil ? nil : "Synced"),
                                record: record, history: history)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(document), as: UTF8.self))
            return
        }
        var lines = ["\(id)"]
        if let applied { lines.append("  applied      \(Timestamps.format(applied.appliedAt)) (\(applied.contentHash.prefix(19)))") }
        if let health = document.health { lines.append("  health       \(health)") }
        if let record {
            lines.append("  meta id      \(record.templateID ?? "-")")
            lines.append("  status       \(record.status ?? "-")" + (record.statusChangedAt.map { " since \(Timestamps.format($0))" } ?? ""))
            lines.append("  category     \(record.category ?? "-")")
            lines.append("  quality      \(record.quality ?? "-")")
            if let reason = record.reason { lines.append("  reason       \(reason)" + (record.reasonDetail.map { ": \($0)" } ?? "")) }
            let month = record.approvedEdits.filter { Date().timeIntervalSince($0) < 30 * 86_400 }.count
            lines.append("  edits        \(month) of \(TemplateLimits.approvedEditsPer30d) approved edits used in the last 30 days")
        }
        if !history.isEmpty {
            var table = TextTable(["WHEN", "EVENT", "STATUS", "REASON", "SOURCE"])
            for entry in history {
                table.add([Timestamps.format(entry.at), entry.event, entry.status ?? "", [entry.reason, entry.detail].compactMap { $0 }.joined(separator: ": "), entry.source])
            }
            lines.append("")
            lines.append(table.render())
        }
        print(lines.joined(separator: "\n"))
    }
}
