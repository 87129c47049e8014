/// What an audience import read and kept: the figures `bizone audience show` and the plan
/// print, stored with the import.
public struct AudienceImportCounts: Sendable, Hashable, Codable {
    /// Data rows read: CSV rows (header and blank lines not counted) plus inline contacts.
    public var rows: Int
    /// Rows with a usable phone number.
    public var valid: Int
    /// Rows without one (reported by file and line, never imported).
    public var invalid: Int
    /// Valid rows whose phone number an earlier row already had.
    public var duplicates: Int
    /// Distinct contacts imported as members: `valid - duplicates`.
    public var members: Int
    /// Members the import itself marked opted out (the opt-out column); contacts opted out
    /// before (a STOP reply) are counted by `AudienceCounts.optedOut`.
    public var optedOut: Int

    public init(rows: Int = 0, valid: Int = 0, invalid: Int = 0, duplicates: Int = 0, members: Int = 0, optedOut: Int = 0) {
        self.rows = rows
        self.valid = valid
        self.invalid = invalid
        self.duplicates = duplicates
        self.members = members
        self.optedOut = optedOut
    }
}

/// An audience evaluated against the state: from the rows read down to who is messaged.
///
/// `rows = valid + invalid`; `contacts` is every distinct contact the sources yield (imported
/// members plus contacts the filter matches); `final = contacts - optedOut - excluded`.
/// Opted-out contacts are always left out and counted once, as opted out, even when an
/// exclusion also names them.
public struct AudienceCounts: Sendable, Hashable, Codable {
    public var rows: Int
    public var valid: Int
    public var invalid: Int
    public var duplicates: Int
    public var contacts: Int
    public var optedOut: Int
    public var excluded: Int
    public var final: Int

    public init(rows: Int = 0, valid: Int = 0, invalid: Int = 0, duplicates: Int = 0, contacts: Int = 0, optedOut: Int = 0,
                excluded: Int = 0, final: Int = 0) {
        self.rows = rows
        self.valid = valid
        self.invalid = invalid
        self.duplicates = duplicates
        self.contacts = contacts
        self.optedOut = optedOut
        self.excluded = excluded
        self.final = final
    }
}

/// Counts and the first recipients (by phone number) of an audience.
public struct AudiencePreview: Sendable, Hashable {
    public var counts: AudienceCounts
    public var sample: [AudienceRecipient]

    public init(counts: AudienceCounts, sample: [AudienceRecipient]) {
        self.counts = counts
        self.sample = sample
    }
}
