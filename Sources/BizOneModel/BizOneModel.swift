/// BizOneModel: the pure value types every other module shares.
///
/// Resources as declared in YAML, their IDs and source locations, diagnostics, secret
/// references, the schema each kind is checked against (and exported as JSON Schema), the plan
/// types, campaign and webhook event values, `JSONValue` with its parser, and the rules every
/// module applies alike (cron, schedules, time zones, timestamps, durations, phone numbers,
/// Meta's template rules, the token bucket, constant-time comparison). Nothing here performs
/// I/O, reads a clock or awaits (time zones come from the system's database, read-only); if
/// something here wants to, it belongs in another module.
public enum BizOne {
    /// The only `apiVersion` this release understands.
    public static let apiVersion = "bizone/v1"
    /// Version of the plan document written by `plan --out` / `--json`.
    public static let planFormatVersion = 1
}
