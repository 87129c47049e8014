import BizOneModel
import BizOneStore
import Foundation
import MetaGraph

extension Engine {
    /// Statuses that end Meta's review.
    public static let settledStatuses: Set<String> = ["APPROVED", "REJECTED", "DISABLED", "PAUSED"]

    /// Polls Meta until every template has left PENDING (or the timeout passes), recording each
    /// status seen. Returns the final records.
    public func waitForReview(of ids: [ResourceID], timeout: Double, interval: Double = 0.5) async throws -> [ResourceID: TemplateRecord] {
        let deadline = now().addingTimeInterval(timeout)
        var waiting = Set(ids)
        while true {
            let records = try store.templateRecords()
            for id in waiting {
                guard let record = records[id], let templateID = record.templateID else { waiting.remove(id); continue }
                guard let client = meta.client(for: integration(of: id))?.client else { waiting.remove(id); continue }
                let template = try await client.template(id: templateID, fields: ["status", "category", "quality_score", "rejected_reason"])
                let status = template.status?.uppercased()
                _ = try store.recordTemplateStatus(TemplateStatusUpdate(
                    id: id, templateID: templateID, status: status, category: template.category?.uppercased(),
                    quality: template.qualityScore?.score, reason: status == "REJECTED" ? template.rejectedReason : nil,
                    source: "wait", at: now()))
                if let status, Self.settledStatuses.contains(status) { waiting.remove(id) }
            }
            if waiting.isEmpty || now() >= deadline { break }
            try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
        }
        let records = try store.templateRecords()
        return records.filter { ids.contains($0.key) }
    }

    /// Refreshes status, quality, category and reason of every template in state from Meta,
    /// changing nothing at Meta. Returns the templates whose record changed.
    public func sync() async throws -> [ResourceID] {
        let remote = try await observeRemote()
        let records = try store.templateRecords()
        var changed: [ResourceID] = []
        for (id, record) in records.sorted(by: { $0.key < $1.key }) {
            // Only templates whose integration was actually listed can be judged missing.
            guard meta.client(for: integration(of: id)) != nil else { continue }
            guard let found = remote[id] else {
                if record.status != "DELETED", record.templateID != nil,
                   try store.recordTemplateStatus(TemplateStatusUpdate(id: id, status: "DELETED", reason: "not found at Meta", source: "sync", at: now())) {
                    changed.append(id)
                }
                continue
            }
            let update = TemplateStatusUpdate(
                id: id, templateID: found.templateID, status: found.status, category: found.category, quality: found.quality,
                reason: found.status == "REJECTED" ? found.rejectedReason : nil, source: "sync", at: now())
            if try store.recordTemplateStatus(update) { changed.append(id) }
        }
        return changed
    }

    /// The integration a stored template belongs to (its spec, or the only client).
    func integration(of id: ResourceID) -> String? {
        if let record = try? store.appliedResource(id), let name = record.content.value(at: "spec.integration")?.stringValue {
            return name
        }
        return meta.integration(named: nil)
    }
}
