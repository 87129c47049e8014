import BizOneModel
import Foundation

/// The rows of a declared audience for an import: the CSV's rows (streamed from the file),
/// then the inline contacts. Filters and exclusions are not rows; the store evaluates them
/// when recipients are read.
///
/// A class so the CSV's summary (its invalid rows, by line) can be read after the import
/// consumed the rows, without reading the file twice.
public final class AudienceRows: AudienceRowSource {
    public let spec: AudienceSpec
    /// The CSV file, resolved (the loader's `inputs["csv"]`); required when the spec has a CSV.
    public let csvPath: String?
    /// For numbers without '+': the spec's, else the integration's (`inputs["defaultCountryCode"]`).
    public let defaultCountryCode: String?
    /// When set, a CSV whose content hash differs throws `AudienceFile.Failure.changed` after
    /// the rows were read (the import is then abandoned): the file changed since it was planned.
    public let expectedDigest: String?
    public let invalidLimit: Int
    /// The CSV's summary once `readRows` has run (nil without a CSV).
    public private(set) var summary: AudienceFile.Summary?

    public init(spec: AudienceSpec, csvPath: String?, defaultCountryCode: String?, expectedDigest: String? = nil,
                invalidLimit: Int = AudienceFile.invalidRowLimit) {
        self.spec = spec
        self.csvPath = csvPath
        self.defaultCountryCode = defaultCountryCode
        self.expectedDigest = expectedDigest
        self.invalidLimit = invalidLimit
    }

    /// The rows of a loaded resource, as the loader resolved them; with `checkDigest`, the CSV
    /// must still be the file the loader hashed into `spec.csv.digest`.
    public convenience init(_ spec: AudienceSpec, inputs: [String: String], checkDigest: Bool) {
        self.init(spec: spec, csvPath: inputs["csv"], defaultCountryCode: spec.defaultCountryCode ?? inputs["defaultCountryCode"],
                  expectedDigest: checkDigest ? spec.csv.map { $0.digest ?? "" } : nil)
    }

    public func readRows(_ emit: (AudienceContact) throws -> Void) throws -> AudienceSourceTotals {
        var totals = AudienceSourceTotals(rows: 0, invalid: 0)
        if let csv = spec.csv {
            guard let csvPath else { throw AudienceFile.Failure.unreadable(csv.path, reason: "the loader did not resolve the path") }
            let summary = try AudienceFile.scan(path: csvPath, source: csv, defaultCountryCode: defaultCountryCode,
                                                invalidLimit: invalidLimit, visit: emit)
            if let expectedDigest, summary.digest != expectedDigest { throw AudienceFile.Failure.changed(csvPath) }
            self.summary = summary
            totals.rows += summary.rows
            totals.invalid += summary.invalidCount
        }
        for contact in spec.contacts ?? [] {
            totals.rows += 1
            guard let phone = PhoneNumber.normalize(contact.phone, defaultCountryCode: defaultCountryCode) else {
                totals.invalid += 1
                continue
            }
            try emit(AudienceContact(phone: phone, name: contact.name, attributes: contact.attributes ?? [:], tags: contact.tags ?? []))
        }
        return totals
    }
}
