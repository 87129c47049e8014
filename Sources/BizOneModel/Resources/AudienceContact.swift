/// One normalised audience row, ready for the contacts table.
public struct AudienceContact: Sendable, Hashable, Codable {
    /// E.164, with '+'.
    public var phone: String
    public var name: String?
    public var attributes: [String: String]
    public var tags: [String]
    public var optedOut: Bool
    /// 1-based line in the CSV (nil for inline contacts), for reports.
    public var sourceLine: Int?

    public init(phone: String, name: String? = nil, attributes: [String: String] = [:], tags: [String] = [],
                optedOut: Bool = false, sourceLine: Int? = nil) {
        self.phone = phone
        self.name = name
        self.attributes = attributes
        self.tags = tags
        self.optedOut = optedOut
        self.sourceLine = sourceLine
    }
}
