/// Where an audience import reads its rows: streamed one at a time, so an import holds no
/// more than one row in memory whatever the size of the CSV.
///
/// `readRows` hands every valid row to `emit`, in source order and duplicates included (the
/// store collapses them: the first row of a phone number wins, an opt-out on any of its rows
/// sticks, tags are united), and returns what it read. Throwing from `readRows` (or `emit`)
/// abandons the import: nothing of it is kept.
public protocol AudienceRowSource {
    func readRows(_ emit: (AudienceContact) throws -> Void) throws -> AudienceSourceTotals
}

/// What a row source read besides the rows it emitted.
public struct AudienceSourceTotals: Sendable, Hashable {
    /// Every data row read, valid or not.
    public var rows: Int
    /// Rows that were not emitted because they had no usable phone number.
    public var invalid: Int

    public init(rows: Int, invalid: Int) {
        self.rows = rows
        self.invalid = invalid
    }
}

/// A row source over contacts already at hand (inline lists, tests).
public struct AudienceContactRows<Contacts: Sequence>: AudienceRowSource where Contacts.Element == AudienceContact {
    public var contacts: Contacts

    public init(_ contacts: Contacts) { self.contacts = contacts }

    public func readRows(_ emit: (AudienceContact) throws -> Void) throws -> AudienceSourceTotals {
        var rows = 0
        for contact in contacts {
            rows += 1
            try emit(contact)
        }
        return AudienceSourceTotals(rows: rows, invalid: 0)
    }
}
