import ArgumentParser
import BizOneModel
import BizOneStore
import Foundation

struct CampaignReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Per run: queued, sent, delivered, read, failed by code, skipped by reason, expired, timing.")

    enum Format: String, ExpressibleByArgument { case table, csv, json }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Campaign name.") var name: String
    @Option(name: .long, help: "table, csv (each recipient's final status) or json.") var format: Format = .table
    @Option(name: .long, help: "With --format csv: the run to list (default: the latest).") var run: Int64?

    func run() async throws {
        let store = try StateAccess.existing(global)
        _ = try appliedCampaign(name, store: store)
        let runs = try store.campaignRuns(campaign: name, statuses: nil)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(try runs.map { try CampaignReport.Run(record: $0, store: store) }), as: UTF8.self))
        case .table:
            guard !runs.isEmpty else { print("Campaign \(name) has no runs yet."); return }
            for record in runs {
                print(try CampaignReport.Run(record: record, store: store).text())
                print("")
            }
        case .csv:
            let header = "phone,name,state,attempts,wamid,error_code,error_title,skip_reason,updated_at"
            print(header)
            guard let runID = run ?? runs.map(\.id).max() else { return }
            try store.exportOutbox(runID: runID, batchSize: 1_000) { rows in
                for row in rows {
                    let entry = row.entry
                    print([entry.phone, entry.name ?? "", entry.state.rawValue, String(entry.attempts), entry.wamid ?? "",
                           entry.errorCode.map(String.init) ?? "", entry.errorTitle ?? "", entry.skipReason ?? "",
                           Timestamps.format(entry.updatedAt)].map(CampaignReport.csvField).joined(separator: ","))
                }
            }
        }
    }
}

/// What a report says about one run, as data first so table and JSON agree.
enum CampaignReport {
    struct Run: Encodable {
        var id: Int64
        var trigger: String
        var scheduledFor: Date?
        var status: String
        var pauseReason: String?
        var recipients: Int
        var counts: CampaignRunCounts
        var startedAt: Date?
        var finishedAt: Date?
        var achievedRate: Double?

        init(record: CampaignRunRecord, store: StateStore) throws {
            id = record.id
            trigger = record.trigger.rawValue
            scheduledFor = record.scheduledFor
            status = record.status.rawValue
            pauseReason = try store.campaignRunControl(id: record.id)?.pauseReason ?? record.pauseReason
            recipients = record.recipients
            counts = try store.campaignRunCounts(runID: record.id)
            let timing = try store.campaignRunTiming(id: record.id)
            startedAt = timing?.startedAt ?? record.startedAt
            finishedAt = timing?.finishedAt ?? record.finishedAt
            achievedRate = timing?.achievedRate
        }

        func text() -> String {
            var lines = ["Run \(id) (\(trigger)\(scheduledFor.map { ", due \(Timestamps.format($0))" } ?? "")): \(status)"
                         + (pauseReason.map { " - \($0)" } ?? "")]
            lines.append("  " + CampaignReport.summaryLine(counts))
            if !counts.failedByCode.isEmpty {
                lines.append("  failed by Meta error: " + counts.failedByCode.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", "))
            }
            if !counts.skippedByReason.isEmpty {
                lines.append("  skipped: " + counts.skippedByReason.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", "))
            }
            let rate = achievedRate.map { String(format: "%.1f msg/s", $0) } ?? "-"
            lines.append("  started \(startedAt.map(Timestamps.format) ?? "-"), finished \(finishedAt.map(Timestamps.format) ?? "-"), rate \(rate)")
            return lines.joined(separator: "\n")
        }
    }

    static func summaryLine(_ counts: CampaignRunCounts) -> String {
        let order = OutboxState.allCases.map(\.rawValue)
        let parts = order.compactMap { state in counts.byState[state].map { "\($0) \(state)" } }
        return "\(counts.total) recipients: " + (parts.isEmpty ? "none" : parts.joined(separator: ", "))
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
