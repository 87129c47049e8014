import BizOneModel
import BizOneStore
import Foundation

/// Whether a campaign's template may be sent, and the hook that pauses the runs of every
/// campaign using a template when Meta makes it unsendable (reference §7-§8).
public enum CampaignTemplateGuard {
    /// Statuses in which Meta accepts sends: APPROVED, and the webhook-only events that keep
    /// an approved template approved (FLAGGED: at risk; REINSTATED: no longer flagged;
    /// LOCKED: cannot be edited).
    public static let sendableStatuses: Set<String> = ["APPROVED", "FLAGGED", "REINSTATED", "LOCKED"]

    /// Why the template cannot be sent now, or nil when it can: a status other than the
    /// sendable ones (PAUSED, DISABLED, PENDING, REJECTED, DELETED...), an unknown status, or
    /// quality RED (Meta pauses RED templates).
    public static func blockReason(template id: ResourceID, record: TemplateRecord?) -> String? {
        blockReason(template: id, status: record?.status, reason: record?.reason, quality: record?.quality)
    }

    /// The same rule for a status read from Meta directly (plan with refresh).
    public static func blockReason(template id: ResourceID, status: String?, reason: String?, quality: String?) -> String? {
        guard let status = status?.uppercased() else {
            return "template \(id) has no known status at Meta (apply it and wait for approval)"
        }
        guard sendableStatuses.contains(status) else {
            var text = "template \(id) is \(status), not APPROVED"
            if let reason, !reason.isEmpty, reason != "NONE" { text += " (\(reason))" }
            return text
        }
        if quality?.uppercased() == "RED" { return "template \(id) has quality RED" }
        return nil
    }

    /// The template a campaign sends.
    public static func templateID(of spec: CampaignSpec) -> ResourceID {
        ResourceID(kind: .template, name: spec.template.name, language: spec.template.language)
    }

    /// Pauses the queued and running runs of every campaign (in the applied state) that sends
    /// `template`, with `reason`; returns the paused run ids. The dispatcher of a paused run
    /// sees it at its next batch.
    @discardableResult
    public static func pauseRuns(using template: ResourceID, reason: String, store: StateStore, at: Date) throws -> [Int64] {
        var paused: [Int64] = []
        for record in try store.appliedResources() where record.kind == .campaign {
            guard let spec = try? record.content["spec"]?.decode(CampaignSpec.self), templateID(of: spec) == template else { continue }
            paused += try store.pauseCampaignRuns(campaign: record.id.name, reason: reason, source: .template, at: at)
        }
        return paused
    }
}
