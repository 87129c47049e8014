/// `metadata` of every document.
public struct Metadata: Sendable, Hashable, Codable {
    public var name: String
    public var labels: [String: String]
    /// Templates only: earlier names, so a rename plans a replace instead of a delete and a create.
    public var previousNames: [String]

    public init(name: String, labels: [String: String] = [:], previousNames: [String] = []) {
        self.name = name
        self.labels = labels
        self.previousNames = previousNames
    }

    private enum CodingKeys: String, CodingKey { case name, labels, previousNames }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        previousNames = try container.decodeIfPresent([String].self, forKey: .previousNames) ?? []
    }

    public static func schema(for kind: ResourceKind) -> ObjectSchema {
        var properties: [Property] = [
            Property("name", .string(kind == .template ? .templateName : .resourceName), required: true,
                     kind == .template ? "Template name as Meta knows it (a-z, 0-9, _)." : "Unique name of this \(kind.rawValue)."),
            Property("labels", .map(values: .string), default: .object([:]), "Free-form labels for filtering and reports."),
        ]
        if kind == .template {
            properties.append(Property("previousNames", .array(items: .string(.templateName)), default: .array([]),
                                       "Names this template had before; a rename then plans a replace of the old template."))
        }
        return ObjectSchema("Identity and labels.", properties)
    }
}
