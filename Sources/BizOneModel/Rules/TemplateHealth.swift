/// Meta's template status as Argo CD-style health (issue: APPROVED healthy, PENDING progressing,
/// REJECTED and DISABLED degraded, PAUSED suspended).
public enum TemplateHealth {
    public static func of(_ status: String?) -> String {
        switch status {
        case "APPROVED": return "Healthy"
        case "PENDING", "IN_APPEAL": return "Progressing"
        case "REJECTED", "DISABLED", "DELETED", "PENDING_DELETION": return "Degraded"
        case "PAUSED": return "Suspended"
        case nil: return "Unknown"
        default: return "Unknown"
        }
    }
}
