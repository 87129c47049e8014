/// One declared resource with its canonical content and where it was declared.
public struct Resource: Sendable, Hashable {
    public let id: ResourceID
    public let metadata: Metadata
    public let spec: ResourceSpec
    public let location: SourceLocation
    /// `{"metadata": {labels, previousNames}, "spec": {...}}`: what is hashed, stored and diffed.
    public let content: JSONValue
    public let contentHash: String
    /// Local files the resource reads at apply time (audience CSV), by role; not part of content.
    public let inputs: [String: String]

    /// `specContent`, when given, is the spec's JSON exactly as validated (the loader has it
    /// already); otherwise the typed spec is encoded. Skipping the re-encoding matters when
    /// thousands of templates load.
    public init(metadata: Metadata, spec: ResourceSpec, location: SourceLocation, inputs: [String: String] = [:],
                specContent: JSONValue? = nil) throws {
        var language: String?
        if case .template(let template) = spec { language = template.language }
        self.id = ResourceID(kind: spec.kind, name: metadata.name, language: language)
        self.metadata = metadata
        self.spec = spec
        self.location = location
        self.inputs = inputs
        var meta: [String: JSONValue] = [:]
        if !metadata.labels.isEmpty { meta["labels"] = try JSONValue(encoding: metadata.labels) }
        if !metadata.previousNames.isEmpty { meta["previousNames"] = try JSONValue(encoding: metadata.previousNames) }
        var content: [String: JSONValue] = ["spec": try specContent ?? spec.jsonValue()]
        if !meta.isEmpty { content["metadata"] = .object(meta) }
        self.content = .object(content)
        self.contentHash = ContentHash.of(self.content)
    }

    public var kind: ResourceKind { id.kind }
}
