/// One planned change with everything needed to show it and to apply it later from a file.
public struct PlanChange: Sendable, Hashable, Codable {
    public var id: ResourceID
    public var action: PlanAction
    /// Content last applied (nil for creates).
    public var before: JSONValue?
    /// Desired content (nil for deletes).
    public var after: JSONValue?
    public var beforeHash: String?
    public var afterHash: String?
    /// Dotted paths of the fields that differ (`spec.permissions.templates`).
    public var changedFields: [String]
    /// Why, in words a reviewer can check ("not in state", "removed from configuration").
    public var reason: String
    public var location: SourceLocation?
    /// Local files read at apply time, by role (`csv` -> absolute path).
    public var inputs: [String: String]

    public init(id: ResourceID, action: PlanAction, before: JSONValue? = nil, after: JSONValue? = nil,
                beforeHash: String? = nil, afterHash: String? = nil, changedFields: [String] = [],
                reason: String, location: SourceLocation? = nil, inputs: [String: String] = [:]) {
        self.id = id
        self.action = action
        self.before = before
        self.after = after
        self.beforeHash = beforeHash
        self.afterHash = afterHash
        self.changedFields = changedFields
        self.reason = reason
        self.location = location
        self.inputs = inputs
    }

    /// Whether applying this change does anything.
    public var isActionable: Bool { action != .pending }
}
