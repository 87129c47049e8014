import BizOneModel

/// One YAML document that passed the structural checks, with its field index.
struct ParsedDocument {
    var kind: ResourceKind
    var metadata: Metadata
    var spec: ResourceSpec
    var index: NodeIndex
    var file: String

    var location: SourceLocation { index.root }

    func location(of path: String) -> SourceLocation { index.location(of: path) }
}
