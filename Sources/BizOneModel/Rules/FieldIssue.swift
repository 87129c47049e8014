/// A problem found by a pure rule, addressed by field path (`spec.body.text`,
/// `spec.buttons[2].url`) rather than by file position. The loader turns the path into a
/// file:line:col using the YAML it parsed, so rules stay free of YAML.
public struct FieldIssue: Sendable, Hashable {
    public var path: String
    public var message: String
    public var hint: String?
    public var severity: Diagnostic.Severity

    public init(_ path: String, _ message: String, hint: String? = nil, severity: Diagnostic.Severity = .error) {
        self.path = path
        self.message = message
        self.hint = hint
        self.severity = severity
    }
}
