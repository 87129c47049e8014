import BizOneModel
@testable import BizOneStore
import Foundation
import GRDB
import Testing

/// A row source over CSV text with no quoting (name,phone,opt_out,city), the way the loader's
/// reader hands rows over: every valid row, duplicates included, numbers normalised.
struct SimpleCSVRows: AudienceRowSource {
    var text: String
    var defaultCountryCode = "62"

    func readRows(_ emit: (AudienceContact) throws -> Void) throws -> AudienceSourceTotals {
        var totals = AudienceSourceTotals(rows: 0, invalid: 0)
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated().dropFirst() {
            totals.rows += 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard let phone = PhoneNumber.normalize(fields[1], defaultCountryCode: defaultCountryCode) else {
                totals.invalid += 1
                continue
            }
            var attributes: [String: String] = [:]
            if fields.count > 3, !fields[3].isEmpty { attributes["city"] = fields[3] }
            try emit(AudienceContact(phone: phone, name: fields[0].isEmpty ? nil : fields[0], attributes: attributes,
                                     optedOut: fields[2] == "yes", sourceLine: offset + 1))
        }
        return totals
    }
}

/// The acceptance CSV (same shape as the loader's test): 5,000 rows = 4,650 distinct contacts,
/// 200 opted out, + 300 duplicate rows + 50 invalid rows.
func acceptanceCSV() -> String {
    func digits(_ index: Int) -> String {
        let text = String(index)
        return String(repeating: "0", count: 7 - text.count) + text
    }
    var lines = ["name,phone,opt_out,city"]
    var duplicates = 0
    for index in 0..<4_650 {
        let optedOut = index % 23 == 5 && index / 23 < 200
        lines.append("Contact \(index),+62811\(digits(index)),\(optedOut ? "yes" : ""),City \(index % 7)")
        if index % 15 == 14, duplicates < 300 {
            duplicates += 1
            lines.append("Again \(index - 7),0811\(digits(index - 7)),,")
        }
        if index % 93 == 50 { lines.append("Broken \(index),12-ab,,") }
    }
    return lines.joined(separator: "\n") + "\n"
}

func audienceSpec(_ object: [String: JSONValue] = ["contacts": .array([])]) throws -> AudienceSpec {
    try JSONValue.object(object).decode(AudienceSpec.self)
}

func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

/// Every recipient, read in batches; also returns the largest batch seen.
func allRecipients(_ store: StateStore, _ audience: String, _ spec: AudienceSpec, now: Date = Fixture.t1,
                   batch: Int = 1_000) throws -> (recipients: [AudienceRecipient], largestBatch: Int) {
    var recipients: [AudienceRecipient] = []
    var largest = 0
    try store.audienceRecipients(audience, spec: spec, now: now, batch: batch) { page in
        largest = max(largest, page.count)
        recipients += page
    }
    return (recipients, largest)
}

@Suite("Audience evaluation: streaming import, counts, filters, exclusions")
struct AudienceEvaluationTests {
    @Test("acceptance: 5,000 rows with 300 duplicates, 200 opted out and 50 invalid give 4,450 recipients")
    func acceptance() throws {
        try TemporaryStore.with { store in
            let spec = try audienceSpec()
            let rows = SimpleCSVRows(text: acceptanceCSV())

            // A preview evaluates without writing.
            let preview = try store.previewAudience("launch", spec: spec, rows: rows, now: Fixture.t1, sample: 10)
            #expect(try store.audienceMemberCount("launch") == 0)
            #expect(try store.contacts(limit: 1).isEmpty)

            let imported = try store.importAudience("launch", from: rows, at: Fixture.t0)
            #expect(imported == AudienceImportCounts(rows: 5_000, valid: 4_950, invalid: 50, duplicates: 300, members: 4_650, optedOut: 200))
            #expect(try store.audienceImportCounts("launch") == imported)

            let expected = AudienceCounts(rows: 5_000, valid: 4_950, invalid: 50, duplicates: 300, contacts: 4_650, optedOut: 200,
                                          excluded: 0, final: 4_450)
            #expect(try store.audienceCounts("launch", spec: spec, now: Fixture.t1) == expected)
            #expect(preview.counts == expected)

            let (recipients, largest) = try allRecipients(store, "launch", spec, batch: 500)
            #expect(recipients.count == 4_450)
            #expect(largest == 500)
            #expect(Set(recipients.map(\.phone)).count == 4_450)
            #expect(recipients.map(\.phone) == recipients.map(\.phone).sorted())
            #expect(try recipients.allSatisfy { try !store.isOptedOut(phone: $0.phone) })
            // The first row of a number wins: its name, not the duplicate's.
            #expect(recipients.first == AudienceRecipient(phone: "+628110000000", name: "Contact 0", attributes: ["city": "City 0"]))
            #expect(preview.sample == Array(recipients.prefix(10)))
            #expect(try store.audiencePreview("launch", spec: spec, now: Fixture.t1).sample == Array(recipients.prefix(10)))
        }
    }

    @Test("applyChange streams the rows and returns the import's counts; a failing source changes nothing")
    func applyChangeStreams() throws {
        struct Broken: Error {}
        struct FailingRows: AudienceRowSource {
            func readRows(_ emit: (AudienceContact) throws -> Void) throws -> AudienceSourceTotals {
                try emit(AudienceContact(phone: "+6281100000077"))
                throw Broken()
            }
        }
        try TemporaryStore.with { store in
            let id = Fixture.audienceID("launch")
            let content = Fixture.audience(description: "launch")
            let runID = UUID().uuidString
            try store.beginApplyRun(ApplyRunStart(id: runID, revision: nil, actor: "ci", startedAt: Fixture.t0, planSerial: 0))
            let counts = try store.applyChange(Fixture.create(id, content), runID: runID, sequence: 1, at: Fixture.t0, revision: nil,
                                               audienceRows: SimpleCSVRows(text: acceptanceCSV()))
            #expect(counts?.members == 4_650)
            #expect(try store.audienceCounts("launch", spec: try audienceSpec(), now: Fixture.t1).final == 4_450)

            #expect(throws: Broken.self) {
                try store.applyChange(Fixture.update(id, from: content, to: content), runID: runID, sequence: 2, at: Fixture.t1,
                                      revision: nil, audienceRows: FailingRows())
            }
            #expect(try store.audienceMemberCount("launch") == 4_650)
            #expect(try store.contact(phone: "+6281100000077") == nil)
            #expect(try store.audienceImportCounts("launch")?.members == 4_650)

            try Fixture.apply([Fixture.delete(id, content)], to: store, at: Fixture.t2)
            #expect(try store.audienceImportCounts("launch") == nil)
            #expect(try store.audienceCounts("launch", spec: try audienceSpec(), now: Fixture.t2) == AudienceCounts())
        }
    }

    @Test("a 200,000-row import streams: the source is lazy, recipients arrive in bounded batches")
    func largeImport() throws {
        try TemporaryStore.with { store in
            // Generated on demand, never held: 200,000 rows, every 100th a repeat of the row before.
            let rows = (0..<200_000).lazy.map { index -> AudienceContact in
                let number = index % 100 == 99 ? index - 1 : index
                return AudienceContact(phone: "+62812\(String(10_000_000 + number).dropFirst())", optedOut: number % 1_000 == 0)
            }
            let counts = try store.importAudience("big", rows: rows, at: Fixture.t0)
            #expect(counts == AudienceImportCounts(rows: 200_000, valid: 200_000, invalid: 0, duplicates: 2_000, members: 198_000,
                                                   optedOut: 200))
            let spec = try audienceSpec()
            #expect(try store.audienceCounts("big", spec: spec, now: Fixture.t1).final == 197_800)
            var total = 0
            var largest = 0
            var last = ""
            var ordered = true
            try store.audienceRecipients("big", spec: spec, now: Fixture.t1, batch: 5_000) { page in
                total += page.count
                largest = max(largest, page.count)
                ordered = ordered && page.first!.phone > last
                last = page.last!.phone
            }
            #expect(total == 197_800)
            #expect(largest == 5_000)
            #expect(ordered)
            // No staging table is left behind on the writer.
            let leftover = try store.pool.write { db in try db.tableExists("audience_staging", in: "temp") }
            #expect(!leftover)
        }
    }

    @Test("duplicates: the first row wins, an opt-out on any row sticks, tags unite")
    func duplicateRows() throws {
        try TemporaryStore.with { store in
            let counts = try store.importAudience("a", rows: [
                AudienceContact(phone: "+6281100000001", name: "First", attributes: ["city": "Jakarta"]),
                AudienceContact(phone: "+6281100000001", name: "Second", attributes: ["city": "Bali", "plan": "gold"], optedOut: true),
                AudienceContact(phone: "+6281100000002", name: "Budi", tags: ["b2c"]),
                AudienceContact(phone: "+6281100000002", tags: ["vip"]),
            ], at: Fixture.t0)
            #expect(counts == AudienceImportCounts(rows: 4, valid: 4, invalid: 0, duplicates: 2, members: 2, optedOut: 1))
            let first = try #require(try store.contact(phone: "+6281100000001"))
            #expect(first.name == "First")
            #expect(first.attributes == ["city": "Jakarta"])
            #expect(first.optedOut)
            #expect(try store.contact(phone: "+6281100000002")?.tags == ["b2c", "vip"])
            #expect(try allRecipients(store, "a", try audienceSpec()).recipients.map(\.phone) == ["+6281100000002"])
        }
    }

    /// Known contacts for the filter tests: imported into audience "crm", plus chat activity.
    func seedContacts(_ store: StateStore) throws {
        try store.importAudience("crm", rows: [
            AudienceContact(phone: "+6281100000001", name: "Ana", attributes: ["city": "Jakarta", "plan": "gold"], tags: ["vip", "b2c"]),
            AudienceContact(phone: "+6281100000002", name: "Budi", attributes: ["city": "Jakarta", "plan": "silver"], tags: ["vip"]),
            AudienceContact(phone: "+6281100000003", name: "Citra", attributes: ["city": "Bandung", "plan": "gold"], tags: ["b2c"]),
            AudienceContact(phone: "+6281100000004", name: "Dewi", attributes: ["city": "Jakarta", "plan": "gold"], tags: ["vip", "b2c"],
                            optedOut: true),
            AudienceContact(phone: "+6281100000005", name: "Eka", attributes: ["city": "Jakarta"], tags: ["vip", "b2c", "staff"]),
        ], at: Fixture.t0)
        // Ana wrote 1 hour before t1, Citra 30 hours before, Dewi (opted out) 10 minutes before;
        // an unknown number wrote 3 days before (and so became a known contact).
        let t1 = Fixture.t1.timeIntervalSince(Fixture.t0)
        _ = try store.recordInbound(EventFixture.inbound("wamid.ana", waID: "6281100000001", at: t1 - 3_600), eventID: 1)
        _ = try store.recordInbound(EventFixture.inbound("wamid.citra", waID: "6281100000003", at: t1 - 30 * 3_600), eventID: 2)
        _ = try store.recordInbound(EventFixture.inbound("wamid.dewi", waID: "6281100000004", at: t1 - 600), eventID: 3)
        _ = try store.recordInbound(EventFixture.inbound("wamid.other", waID: "6281199999999", at: t1 - 3 * 86_400), eventID: 4)
    }

    /// (filter and exclude, as JSON) -> recipients' phone suffixes, and the counts of who was left out.
    @Test(arguments: [
        // Tags: all of them.
        (["filter": .object(["tags": strings(["vip", "b2c"])])], ["01", "05"], 0),
        (["filter": .object(["tags": strings(["vip"])])], ["01", "02", "05"], 0),
        // Attributes: equal values, all of them.
        (["filter": .object(["attributes": .object(["city": .string("Jakarta"), "plan": .string("gold")])])], ["01"], 0),
        (["filter": .object(["attributes": .object(["plan": .string("gold")])])], ["01", "03"], 0),
        // Last inbound within 24h (Ana 1h ago; Citra 30h ago; Dewi opted out). 48h adds Citra.
        (["filter": .object(["lastInboundWithin": .string("24h")])], ["01"], 0),
        (["filter": .object(["lastInboundWithin": .string("2d")])], ["01", "03"], 0),
        // All conditions together.
        (["filter": .object(["tags": strings(["b2c"]), "attributes": .object(["plan": .string("gold")]),
                             "lastInboundWithin": .string("2d")])], ["01", "03"], 0),
        // Exclusions: any of the tags, or the phones; opted-out Dewi is counted as opted out, not excluded.
        (["filter": .object(["tags": strings(["vip"])]), "exclude": .object(["tags": strings(["staff", "b2c"])])], ["02"], 2),
        (["filter": .object(["tags": strings(["vip"])]),
          "exclude": .object(["phones": strings(["+6281100000002", "+6281100000004"])])], ["01", "05"], 1),
        // An empty filter is every known contact (the other chat number is known too).
        (["filter": .object([:])], ["01", "02", "03", "05", "+6281199999999"], 0),
    ] as [([String: JSONValue], [String], Int)])
    func filtersAndExclusions(object: [String: JSONValue], expected: [String], excluded: Int) throws {
        try TemporaryStore.with { store in
            try seedContacts(store)
            let spec = try audienceSpec(object)
            let phones = try allRecipients(store, "segment", spec, batch: 2).recipients.map(\.phone)
            #expect(phones == expected.map { $0.count == 2 ? "+62811000000\($0)" : $0 })
            let counts = try store.audienceCounts("segment", spec: spec, now: Fixture.t1)
            #expect(counts.excluded == excluded)
            #expect(counts.final == expected.count)
            #expect(counts.contacts == counts.final + counts.excluded + counts.optedOut)
            // The preview of a filter-only audience agrees with the state.
            #expect(try store.previewAudience("segment", spec: spec, rows: nil, now: Fixture.t1).counts == counts)
        }
    }

    @Test("opted-out contacts are always left out, whatever the source")
    func optedOutAlwaysOut() throws {
        try TemporaryStore.with { store in
            try seedContacts(store)
            // Dewi matches the filter and is an imported member; Ana is a member who opted out later (STOP).
            try store.importAudience("vip", rows: [AudienceContact(phone: "+6281100000004"), AudienceContact(phone: "+6281100000001")],
                                     at: Fixture.t0)
            try store.optOut(phone: "+6281100000001", at: Fixture.t1)
            let spec = try audienceSpec(["contacts": .array([]), "filter": .object(["tags": strings(["vip", "b2c"])])])
            #expect(try allRecipients(store, "vip", spec).recipients.map(\.phone) == ["+6281100000005"])
            let counts = try store.audienceCounts("vip", spec: spec, now: Fixture.t1)
            #expect(counts.contacts == 3)
            #expect(counts.optedOut == 2)
            #expect(counts.final == 1)
        }
    }

    @Test("members and filter matches combine; exclusions apply to both")
    func sourcesCombine() throws {
        try TemporaryStore.with { store in
            try seedContacts(store)
            try store.importAudience("mixed", rows: [
                AudienceContact(phone: "+6281100000003"),  // also matched by nothing below
                AudienceContact(phone: "+6281100000009", name: "New"),
            ], at: Fixture.t0)
            let spec = try audienceSpec([
                "contacts": .array([]),
                "filter": .object(["lastInboundWithin": .string("24h")]),
                "exclude": .object(["phones": strings(["+6281100000009"])]),
            ])
            #expect(try allRecipients(store, "mixed", spec).recipients.map(\.phone) == ["+6281100000001", "+6281100000003"])
            let counts = try store.audienceCounts("mixed", spec: spec, now: Fixture.t1)
            #expect(counts == AudienceCounts(rows: 2, valid: 2, invalid: 0, duplicates: 0, contacts: 4, optedOut: 1, excluded: 1, final: 2))
        }
    }

    @Test("a preview merges the rows with what the state knows, and leaves no trace")
    func previewMergesWithState() throws {
        try TemporaryStore.with { store in
            try seedContacts(store)
            let rows = AudienceContactRows([
                AudienceContact(phone: "+6281100000002", name: "Budi"),  // known: tags vip
                AudienceContact(phone: "+6281100000004"),  // known and opted out
                AudienceContact(phone: "+6281100000010", name: "Fajar", attributes: ["city": "Solo"], optedOut: true),
                AudienceContact(phone: "+6281100000011", name: "Gita", attributes: ["city": "Solo"]),
            ])
            let spec = try audienceSpec(["contacts": .array([]), "exclude": .object(["tags": strings(["vip"])])])
            let preview = try store.previewAudience("new", spec: spec, rows: rows, now: Fixture.t1, sample: 1)
            #expect(preview.counts == AudienceCounts(rows: 4, valid: 4, invalid: 0, duplicates: 0, contacts: 4, optedOut: 2, excluded: 1, final: 1))
            #expect(preview.sample == [AudienceRecipient(phone: "+6281100000011", name: "Gita", attributes: ["city": "Solo"])])
            #expect(try store.contact(phone: "+6281100000011") == nil)
            #expect(try store.audienceImportCounts("new") == nil)

            try store.importAudience("new", from: rows, at: Fixture.t1)
            #expect(try store.audienceCounts("new", spec: spec, now: Fixture.t1) == preview.counts)
        }
    }

    @Test("a filter with an unreadable duration is refused")
    func badDuration() throws {
        try TemporaryStore.with { store in
            let spec = try audienceSpec(["filter": .object(["lastInboundWithin": .string("soon")])])
            #expect(throws: StoreError.self) { try store.audienceCounts("x", spec: spec, now: Fixture.t1) }
        }
    }

    @Test("attributes written for the state file read back exactly, escapes included")
    func stringObjectRoundTrip() throws {
        let values = ["plain": "Jakarta", "quote \"q\"": "back\\slash", "lines": "a\nb\tc\u{01}", "unicode": "Ünï 😀 /"]
        let text = JSONValue(strings: values).canonicalString
        #expect(try JSONValue.parse(text).stringMembers == values)
        #expect(try JSONDecoder().decode([String: String].self, from: Data(text.utf8)) == values)
        // Byte for byte what the hand-written encoder before JSONValue stored: rows already in
        // state files compare equal in SQL with rows written now.
        #expect(JSONValue(strings: ["b": "x/y", "a": "q\"\\\n\u{01}é"]).canonicalString == #"{"a":"q\"\\\n\u0001é","b":"x/y"}"#)
        #expect(JSONValue(strings: [:]).canonicalString == "{}")
        #expect(try JSONValue.parse(#"{"a":"\u00e9\ud83d\ude00","b":"x\/y"}"#).stringMembers == ["a": "é😀", "b": "x/y"])
        #expect(try JSONValue.parse(#"{"a":1}"#).stringMembers == nil)
        #expect(AudienceQuery.decodeAttributes(#"{"a":1,"b":"x","c":null}"#) == ["a": "1", "b": "x"])
        #expect(JSONValue(stringSet: ["b", "a", "b"]).canonicalString == #"["a","b"]"#)
        #expect(JSONValue(stringSet: []).canonicalString == "[]")
    }
}

@Suite("v4-audiences migration")
struct AudienceMigrationTests {
    @Test("a file an older bizone left at v3 gains audience_imports and keeps its members")
    func v4OnV3File() throws {
        try TemporaryStore.withPath { path in
            do {
                // Members as an older bizone imported them: contacts and audience_members only.
                let old = try StateStore(path: path, migratingUpTo: "v3-events")
                try old.pool.write { db in
                    try db.execute(sql: """
                        INSERT INTO contacts (phone, name, attributes, tags, opted_out, created_at, updated_at)
                        VALUES ('+6281100000001', 'Ana', '{}', '[]', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                               ('+6281100000002', 'Budi', '{}', '[]', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                        INSERT INTO audience_members (audience, phone) VALUES ('vip', '+6281100000001'), ('vip', '+6281100000002');
                        """)
                }
                #expect(throws: StoreError.self) { try old.audienceImportCounts("vip") }
            }
            let store = try StateStore(path: path)
            #expect(try store.appliedMigrations().contains("v4-audiences"))
            #expect(try store.audienceImportCounts("vip") == nil)
            // Counts of an import that predates the table are unknown (0); the evaluation still works.
            #expect(try store.audienceCounts("vip", spec: try audienceSpec(), now: Fixture.t1)
                == AudienceCounts(contacts: 2, optedOut: 1, final: 1))
            try store.importAudience("vip", rows: [AudienceContact(phone: "+6281100000001")], at: Fixture.t1)
            #expect(try store.audienceImportCounts("vip")?.members == 1)
        }
    }
}
