import BizOneModel

/// One YAML document that passed the structural checks, with its field index.
struct ParsedDocument {
    var kind: ResourceKind
    var metadata: Metadata
    var spec: ResourceSpec
    /// The validated spec as JSON with defaults filled in: the resource's content, as is.
    var specValue: JSONValue
    var index: NodeIndex
    var file: String

    var location: SourceLocation { index.root }

    func location(of path: String) -> SourceLocation { index.location(of: path) }
}
