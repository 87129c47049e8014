/// A plan is a value: computed purely, printed, saved with `--out`, and applied later only if
/// the state has not moved since (same lineage and serial).
public struct Plan: Sendable, Hashable, Codable {
    public struct Summary: Sendable, Hashable, Codable {
        public var add: Int
        public var change: Int
        public var destroy: Int
        public var pending: Int
        public var adopt: Int = 0

        public var total: Int { add + change + destroy + adopt }
    }

    public var formatVersion: Int
    /// Identity of the state file the plan was made against.
    public var stateLineage: String
    /// The state serial the plan was made against; applying needs it unchanged.
    public var stateSerial: Int
    public var prune: Bool
    public var changes: [PlanChange]
    /// Managed resources no longer declared that `--prune` would delete.
    public var pruneCandidates: [ResourceID]
    public var diagnostics: [Diagnostic]
    /// Templates changed at Meta outside BizOne; shown apart, overwritten only by apply.
    public var drift: [DriftItem]
    /// Whether templates were compared with Meta (false: planned from the state file alone).
    public var refreshed: Bool
    /// Each declared campaign's forecast: template health, audience size, next runs, duration.
    public var campaigns: [CampaignForecast] = []

    public init(stateLineage: String, stateSerial: Int, prune: Bool, changes: [PlanChange],
                pruneCandidates: [ResourceID] = [], diagnostics: [Diagnostic] = [], drift: [DriftItem] = [],
                refreshed: Bool = false) {
        self.formatVersion = BizOne.planFormatVersion
        self.stateLineage = stateLineage
        self.stateSerial = stateSerial
        self.prune = prune
        self.changes = changes
        self.pruneCandidates = pruneCandidates
        self.diagnostics = diagnostics
        self.drift = drift
        self.refreshed = refreshed
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion, stateLineage, stateSerial, prune, changes, pruneCandidates, diagnostics, drift, refreshed, campaigns
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        stateLineage = try container.decode(String.self, forKey: .stateLineage)
        stateSerial = try container.decode(Int.self, forKey: .stateSerial)
        prune = try container.decode(Bool.self, forKey: .prune)
        changes = try container.decode([PlanChange].self, forKey: .changes)
        pruneCandidates = try container.decodeIfPresent([ResourceID].self, forKey: .pruneCandidates) ?? []
        diagnostics = try container.decodeIfPresent([Diagnostic].self, forKey: .diagnostics) ?? []
        drift = try container.decodeIfPresent([DriftItem].self, forKey: .drift) ?? []
        refreshed = try container.decodeIfPresent(Bool.self, forKey: .refreshed) ?? false
        campaigns = try container.decodeIfPresent([CampaignForecast].self, forKey: .campaigns) ?? []
    }

    public var summary: Summary {
        var summary = Summary(add: 0, change: 0, destroy: 0, pending: 0)
        for change in changes {
            switch change.action {
            case .create: summary.add += 1
            case .update: summary.change += 1
            case .replace: summary.add += 1; summary.destroy += 1
            case .delete: summary.destroy += 1
            case .pending: summary.pending += 1
            case .adopt: summary.adopt += 1
            }
        }
        return summary
    }

    public var actionableChanges: [PlanChange] { changes.filter(\.isActionable) }

    public var hasChanges: Bool { !actionableChanges.isEmpty }
}
