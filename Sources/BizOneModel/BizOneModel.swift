/// BizOneModel: the pure value types every other module shares.
///
/// Resources as declared in YAML, their IDs and source locations, diagnostics, secret
/// references, the schema each kind is checked against (and exported as JSON Schema), and the
/// plan types. Nothing here performs I/O, reads a clock or awaits; if something here wants to,
/// it belongs in another module.
public enum BizOne {
    /// The only `apiVersion` this release understands.
    public static let apiVersion = "bizone/v1"
    /// Version of the plan document written by `plan --out` / `--json`.
    public static let planFormatVersion = 1
}
