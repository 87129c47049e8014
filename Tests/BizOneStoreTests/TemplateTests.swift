import BizOneModel
import BizOneStore
import Foundation
import Testing

/// Template content, ids and writes shaped like the engine's.
enum TemplateFixture {
    static let id = ResourceID(kind: .template, name: "order_update", language: "en_US")
    static let other = ResourceID(kind: .template, name: "welcome", language: "id")

    static func content(body: String) -> JSONValue {
        .object(["spec": .object(["category": .string("UTILITY"), "body": .string(body)])])
    }

    static func write(_ templateID: String = "111", status: String = "PENDING", category: String = "UTILITY",
                      fingerprint: String = "fp-1", event: TemplateWrite.Event = .created, create: Bool = false,
                      approvedEdit: Bool = false) -> TemplateWrite {
        TemplateWrite(templateID: templateID, status: status, category: category, appliedFingerprint: fingerprint,
                      event: event, countsAsCreate: create, countsAsApprovedEdit: approvedEdit)
    }

    static func adopt(_ id: ResourceID, _ after: JSONValue) -> PlanChange {
        PlanChange(id: id, action: .adopt, after: after, afterHash: ContentHash.of(after), reason: "exists at Meta")
    }

    /// Begins a run at `date` and applies one change with its template write as sequence 1.
    @discardableResult
    static func apply(_ change: PlanChange, _ write: TemplateWrite?, to store: StateStore, at date: Date) throws -> String {
        let runID = try Fixture.apply([], to: store, at: date)
        try store.applyChange(change, runID: runID, sequence: 1, at: date, revision: "abc123", template: write)
        return runID
    }

    /// `template_state`, edits, creates and history of `id` are all empty.
    static func expectNothingRecorded(for id: ResourceID, in store: StateStore) throws {
        #expect(try store.appliedResource(id) == nil)
        #expect(try store.templateRecords()[id] == nil)
        #expect(try store.templateCreates(since: .distantPast).isEmpty)
        #expect(try store.templateHistory(id).isEmpty)
    }
}

@Suite("Template state: apply writes")
struct TemplateApplyTests {
    let id = TemplateFixture.id
    let v1 = TemplateFixture.content(body: "Your order {{1}} shipped")
    let v2 = TemplateFixture.content(body: "Order {{1}} is on its way")

    @Test("a create with a template write records resource, inventory, state, creation and history together")
    func create() throws {
        try TemporaryStore.with { (store) throws in
            let runID = try TemplateFixture.apply(Fixture.create(id, v1), TemplateFixture.write(create: true), to: store, at: Fixture.t0)

            let applied = try #require(try store.appliedResource(id))
            #expect(applied.content == v1)
            #expect(applied.managed)
            #expect(applied.createdAt == Fixture.t0)
            #expect(try store.templateRecords() == [id: TemplateRecord(
                id: id, templateID: "111", status: "PENDING", category: "UTILITY", appliedFingerprint: "fp-1",
                approvedEdits: [], statusChangedAt: Fixture.t0)])
            #expect(try store.templateCreates(since: .distantPast) == [Fixture.t0])
            #expect(try store.templateHistory(id) == [
                TemplateHistoryEntry(at: Fixture.t0, event: "created", status: "PENDING", category: "UTILITY", source: "apply"),
            ])
            #expect(try store.changes(runID: runID).map(\.outcome) == ["applied"])
        }
    }

    @Test("a failure late in the transaction rolls back the template rows with the resource")
    func rollbackOnConflict() throws {
        try TemporaryStore.with { (store) throws in
            let schedule = ResourceID(kind: .schedule, name: "weekly")
            let runID = try Fixture.apply([Fixture.create(schedule, Fixture.schedule(cron: "0 9 * * 1"))], to: store)
            // Sequence 1 is taken: the outcome row violates the primary key after everything else was written.
            #expect(throws: StoreError.self) {
                try store.applyChange(Fixture.create(id, v1), runID: runID, sequence: 1, at: Fixture.t1, revision: nil,
                                      template: TemplateFixture.write(create: true))
            }
            try TemplateFixture.expectNothingRecorded(for: id, in: store)
            #expect(try store.observedState().resources.keys.sorted() == [schedule])
            #expect(try store.changes(runID: runID).count == 1)
        }
    }

    @Test("a change the resource writer refuses leaves no template rows either")
    func rollbackOnInvalidChange() throws {
        try TemporaryStore.with { (store) throws in
            let noContent = PlanChange(id: id, action: .create, reason: "not in state")
            #expect(throws: StoreError.self) {
                try TemplateFixture.apply(noContent, TemplateFixture.write(create: true), to: store, at: Fixture.t0)
            }
            try TemplateFixture.expectNothingRecorded(for: id, in: store)
        }
    }

    @Test("a template write is refused on another kind and on a delete")
    func misplacedWrites() throws {
        try TemporaryStore.with { (store) throws in
            let schedule = ResourceID(kind: .schedule, name: "weekly")
            #expect(throws: StoreError.self) {
                try TemplateFixture.apply(Fixture.create(schedule, Fixture.schedule(cron: "0 9 * * 1")), TemplateFixture.write(create: true),
                                          to: store, at: Fixture.t0)
            }
            #expect(try store.appliedResource(schedule) == nil)
            #expect(try store.templateCreates(since: .distantPast).isEmpty)

            try TemplateFixture.apply(Fixture.create(id, v1), TemplateFixture.write(create: true), to: store, at: Fixture.t0)
            #expect(throws: StoreError.self) {
                try TemplateFixture.apply(Fixture.delete(id, v1), TemplateFixture.write(), to: store, at: Fixture.t1)
            }
            #expect(try store.appliedResource(id) != nil)
            #expect(try store.templateRecords()[id] != nil)
        }
    }

    @Test("an edit is logged against the quota only when it counts as an approved edit")
    func edits() throws {
        try TemporaryStore.with { (store) throws in
            try TemplateFixture.apply(Fixture.create(id, v1), TemplateFixture.write(status: "APPROVED", create: true), to: store, at: Fixture.t0)

            let metadataOnly = TemplateFixture.write(status: "APPROVED", event: .stateOnly)
            try TemplateFixture.apply(Fixture.update(id, from: v1, to: v1), metadataOnly, to: store, at: Fixture.t1)
            var record = try #require(try store.templateRecords()[id])
            #expect(record.approvedEdits.isEmpty)
            #expect(record.statusChangedAt == Fixture.t0)

            let edit = TemplateFixture.write(status: "PENDING", fingerprint: "fp-2", event: .edited, approvedEdit: true)
            try TemplateFixture.apply(Fixture.update(id, from: v1, to: v2), edit, to: store, at: Fixture.t2)
            record = try #require(try store.templateRecords()[id])
            #expect(record.approvedEdits == [Fixture.t2])
            #expect(record.status == "PENDING")
            #expect(record.appliedFingerprint == "fp-2")
            #expect(record.statusChangedAt == Fixture.t2)
            #expect(try store.templateCreates(since: .distantPast) == [Fixture.t0])
            #expect(try store.templateHistory(id).map(\.event) == ["created", "state-only", "edited"])
            #expect(try store.appliedResource(id)?.content == v2)
        }
    }

    @Test("a new status from apply clears the stale rejection reason")
    func applyClearsReason() throws {
        try TemporaryStore.with { (store) throws in
            try TemplateFixture.apply(Fixture.create(id, v1), TemplateFixture.write(create: true), to: store, at: Fixture.t0)
            try store.recordTemplateStatus(TemplateStatusUpdate(id: id, status: "REJECTED", reason: "INVALID_FORMAT",
                                                                reasonDetail: "bad variable", source: "webhook", at: Fixture.t1))
            #expect(try store.templateRecords()[id]?.reason == "INVALID_FORMAT")

            try TemplateFixture.apply(Fixture.update(id, from: v1, to: v2), TemplateFixture.write(event: .edited), to: store, at: Fixture.t2)
            let record = try #require(try store.templateRecords()[id])
            #expect(record.status == "PENDING")
            #expect(record.reason == nil)
            #expect(record.reasonDetail == nil)
            #expect(record.approvedEdits.isEmpty)
        }
    }

    @Test("an adopt records resource, inventory and state without counting a creation")
    func adopt() throws {
        try TemporaryStore.with { (store) throws in
            let write = TemplateFixture.write("999", status: "APPROVED", event: .adopted)
            try TemplateFixture.apply(TemplateFixture.adopt(id, v1), write, to: store, at: Fixture.t0)

            let applied = try #require(try store.appliedResource(id))
            #expect(applied.managed)
            #expect(applied.createdAt == Fixture.t0)
            #expect(try store.templateRecords()[id]?.templateID == "999")
            #expect(try store.templateRecords()[id]?.status == "APPROVED")
            #expect(try store.templateCreates(since: .distantPast).isEmpty)
            #expect(try store.templateHistory(id).map(\.event) == ["adopted"])
        }
    }

    @Test("a delete removes state and edits but keeps history and the creation log")
    func delete() throws {
        try TemporaryStore.with { (store) throws in
            try TemplateFixture.apply(Fixture.create(id, v1), TemplateFixture.write(status: "APPROVED", create: true), to: store, at: Fixture.t0)
            try store.recordApprovedEdit(id, at: Fixture.t1)
            let otherContent = TemplateFixture.content(body: "Welcome")
            try TemplateFixture.apply(Fixture.create(TemplateFixture.other, otherContent), TemplateFixture.write("222", create: true),
                                      to: store, at: Fixture.t1)
            try store.recordApprovedEdit(TemplateFixture.other, at: Fixture.t1)

            try TemplateFixture.apply(Fixture.delete(id, v1), nil, to: store, at: Fixture.t2)
            #expect(try store.appliedResource(id) == nil)
            #expect(try store.templateRecords().keys.sorted() == [TemplateFixture.other])
            #expect(try store.templateState(byTemplateID: "111") == nil)
            #expect(try store.templateCreates(since: .distantPast) == [Fixture.t0, Fixture.t1])
            #expect(try store.templateHistory(id) == [
                TemplateHistoryEntry(at: Fixture.t0, event: "created", status: "APPROVED", category: "UTILITY", source: "apply"),
                TemplateHistoryEntry(at: Fixture.t2, event: "deleted", source: "apply"),
            ])
            // Re-applying the delete (a re-run) adds no second "deleted" entry.
            try TemplateFixture.apply(Fixture.delete(id, v1), nil, to: store, at: Fixture.t2)
            #expect(try store.templateHistory(id).map(\.event) == ["created", "deleted"])

            // The other template's edits are untouched; this one's are gone for good.
            #expect(try store.templateRecords()[TemplateFixture.other]?.approvedEdits == [Fixture.t1])
            try store.recordTemplateStatus(TemplateStatusUpdate(id: id, status: "DELETED", source: "sync", at: Fixture.t2))
            #expect(try store.templateRecords()[id]?.approvedEdits == [])
        }
    }

    @Test("a replace keeps history, resets the edit log and the state, and records the creation")
    func replace() throws {
        try TemporaryStore.with { (store) throws in
            try TemplateFixture.apply(Fixture.create(id, v1), TemplateFixture.write(status: "APPROVED", create: true), to: store, at: Fixture.t0)
            try store.recordApprovedEdit(id, at: Fixture.t0)
            try store.recordTemplateStatus(TemplateStatusUpdate(id: id, quality: "RED", source: "webhook", at: Fixture.t0))

            let write = TemplateFixture.write("222", category: "MARKETING", fingerprint: "fp-2", event: .recreated, create: true)
            try TemplateFixture.apply(Fixture.replace(id, from: v1, to: v2), write, to: store, at: Fixture.t1)

            #expect(try store.templateRecords()[id] == TemplateRecord(
                id: id, templateID: "222", status: "PENDING", category: "MARKETING", appliedFingerprint: "fp-2",
                approvedEdits: [], statusChangedAt: Fixture.t1))
            #expect(try store.templateCreates(since: .distantPast) == [Fixture.t0, Fixture.t1])
            #expect(try store.templateHistory(id).map(\.event) == ["created", "quality", "recreated"])
            let applied = try #require(try store.appliedResource(id))
            #expect(applied.content == v2)
            #expect(applied.createdAt == Fixture.t1)
            #expect(try store.templateState(byTemplateID: "111") == nil)
            #expect(try store.templateState(byTemplateID: "222")?.id == id)
        }
    }

    @Test("creations are listed from a time on, oldest first, whatever the template")
    func createsSince() throws {
        try TemporaryStore.with { (store) throws in
            try TemplateFixture.apply(Fixture.create(id, v1), TemplateFixture.write(create: true), to: store, at: Fixture.t2)
            try TemplateFixture.apply(Fixture.create(TemplateFixture.other, v1), TemplateFixture.write("222", create: true),
                                      to: store, at: Fixture.t0)
            let third = ResourceID(kind: .template, name: "third", language: "en")
            try TemplateFixture.apply(Fixture.create(third, v1), TemplateFixture.write("333", create: true), to: store, at: Fixture.t1)
            // Not a creation at Meta: not counted.
            try TemplateFixture.apply(Fixture.update(third, from: v1, to: v2), TemplateFixture.write("333", event: .edited),
                                      to: store, at: Fixture.t2)

            #expect(try store.templateCreates(since: .distantPast) == [Fixture.t0, Fixture.t1, Fixture.t2])
            #expect(try store.templateCreates(since: Fixture.t1) == [Fixture.t1, Fixture.t2])
            #expect(try store.templateCreates(since: Fixture.t1.addingTimeInterval(1)) == [Fixture.t2])
            #expect(try store.templateCreates(since: Fixture.t2.addingTimeInterval(1)).isEmpty)
        }
    }
}

@Suite("Template state: status observations and queries")
struct TemplateStatusTests {
    let id = TemplateFixture.id

    @Test("a status for an unknown template creates its row and a status entry")
    func createsRow() throws {
        try TemporaryStore.with { (store) throws in
            let update = TemplateStatusUpdate(id: id, templateID: "111", status: "APPROVED", category: "UTILITY", quality: "GREEN",
                                              source: "sync", at: Fixture.t0)
            #expect(try store.recordTemplateStatus(update))
            #expect(try store.templateRecords() == [id: TemplateRecord(
                id: id, templateID: "111", status: "APPROVED", category: "UTILITY", quality: "GREEN", statusChangedAt: Fixture.t0)])
            #expect(try store.templateHistory(id) == [
                TemplateHistoryEntry(at: Fixture.t0, event: "status", status: "APPROVED", category: "UTILITY", quality: "GREEN",
                                     source: "sync"),
            ])
            // Not a resource: the state row needs none.
            #expect(try store.appliedResource(id) == nil)
        }
    }

    @Test("only non-nil fields change; each kind of change gets its event; no change writes nothing")
    func events() throws {
        try TemporaryStore.with { (store) throws in
            try TemplateFixture.apply(Fixture.create(id, TemplateFixture.content(body: "x")), TemplateFixture.write(create: true),
                                      to: store, at: Fixture.t0)

            let rejected = TemplateStatusUpdate(id: id, status: "REJECTED", reason: "INVALID_FORMAT", reasonDetail: "bad variable",
                                                source: "webhook", at: Fixture.t1)
            #expect(try store.recordTemplateStatus(rejected))
            // The same news again (a duplicate webhook) changes nothing.
            #expect(try !store.recordTemplateStatus(rejected))
            #expect(try !store.recordTemplateStatus(TemplateStatusUpdate(id: id, source: "sync", at: Fixture.t2)))
            #expect(try !store.recordTemplateStatus(TemplateStatusUpdate(id: id, templateID: "111", status: "REJECTED",
                                                                         category: "UTILITY", source: "sync", at: Fixture.t2)))

            #expect(try store.recordTemplateStatus(TemplateStatusUpdate(id: id, quality: "YELLOW", source: "webhook", at: Fixture.t2)))
            #expect(try store.recordTemplateStatus(TemplateStatusUpdate(id: id, category: "MARKETING", source: "webhook", at: Fixture.t2)))

            let record = try #require(try store.templateRecords()[id])
            #expect(record == TemplateRecord(id: id, templateID: "111", status: "REJECTED", category: "MARKETING", quality: "YELLOW",
                                             reason: "INVALID_FORMAT", reasonDetail: "bad variable", appliedFingerprint: "fp-1",
                                             statusChangedAt: Fixture.t1))
            #expect(try store.templateHistory(id) == [
                TemplateHistoryEntry(at: Fixture.t0, event: "created", status: "PENDING", category: "UTILITY", source: "apply"),
                TemplateHistoryEntry(at: Fixture.t1, event: "status", status: "REJECTED", category: "UTILITY",
                                     reason: "INVALID_FORMAT", detail: "bad variable", source: "webhook"),
                TemplateHistoryEntry(at: Fixture.t2, event: "quality", status: "REJECTED", category: "UTILITY", quality: "YELLOW",
                                     reason: "INVALID_FORMAT", detail: "bad variable", source: "webhook"),
                TemplateHistoryEntry(at: Fixture.t2, event: "category", status: "REJECTED", category: "MARKETING", quality: "YELLOW",
                                     reason: "INVALID_FORMAT", detail: "bad variable", source: "webhook"),
            ])
            #expect(try store.templateHistory(id, limit: 2).map(\.event) == ["quality", "category"])
            #expect(try store.templateHistory(id, limit: 0).isEmpty)
            #expect(try store.templateHistory(TemplateFixture.other).isEmpty)
        }
    }

    @Test("a status change moves status_changed_at; a quality change does not")
    func statusChangedAt() throws {
        try TemporaryStore.with { (store) throws in
            try store.recordTemplateStatus(TemplateStatusUpdate(id: id, status: "PENDING", source: "sync", at: Fixture.t0))
            try store.recordTemplateStatus(TemplateStatusUpdate(id: id, quality: "GREEN", source: "sync", at: Fixture.t1))
            #expect(try store.templateRecords()[id]?.statusChangedAt == Fixture.t0)
            try store.recordTemplateStatus(TemplateStatusUpdate(id: id, status: "APPROVED", source: "wait", at: Fixture.t2))
            #expect(try store.templateRecords()[id]?.statusChangedAt == Fixture.t2)
            #expect(try store.templateHistory(id).map(\.event) == ["status", "quality", "status"])
        }
    }

    @Test("a status for something that is not a template is refused")
    func notATemplate() throws {
        try TemporaryStore.with { (store) throws in
            #expect(throws: StoreError.self) {
                try store.recordTemplateStatus(TemplateStatusUpdate(id: Fixture.roleID("admin"), status: "APPROVED",
                                                                    source: "sync", at: Fixture.t0))
            }
            #expect(try store.templateRecords().isEmpty)
        }
    }

    @Test("a template is found by Meta's id, with its edits")
    func byTemplateID() throws {
        try TemporaryStore.with { (store) throws in
            try TemplateFixture.apply(Fixture.create(id, TemplateFixture.content(body: "x")), TemplateFixture.write("111", create: true),
                                      to: store, at: Fixture.t0)
            try store.recordTemplateStatus(TemplateStatusUpdate(id: TemplateFixture.other, templateID: "222", status: "APPROVED",
                                                                source: "sync", at: Fixture.t0))
            try store.recordApprovedEdit(id, at: Fixture.t1)

            let found = try #require(try store.templateState(byTemplateID: "111"))
            #expect(found.id == id)
            #expect(found.approvedEdits == [Fixture.t1])
            #expect(try store.templateState(byTemplateID: "222")?.id == TemplateFixture.other)
            #expect(try store.templateState(byTemplateID: "333") == nil)
            #expect(try store.templateRecord(id) == found)
        }
    }

    @Test("approved edits come back oldest first, per template")
    func editsInOrder() throws {
        try TemporaryStore.with { (store) throws in
            try store.recordApprovedEdit(id, at: Fixture.t2)
            try store.recordApprovedEdit(id, at: Fixture.t0)
            try store.recordApprovedEdit(TemplateFixture.other, at: Fixture.t1)
            try store.recordApprovedEdit(id, at: Fixture.t1)

            let records = try store.templateRecords()
            #expect(records[id]?.approvedEdits == [Fixture.t0, Fixture.t1, Fixture.t2])
            #expect(records[TemplateFixture.other]?.approvedEdits == [Fixture.t1])
            #expect(records.count == 2)
            // Seeding edits does not invent a status.
            #expect(records[id]?.status == nil)
            #expect(try store.templateHistory(id).isEmpty)
        }
    }
}

/// Template webhooks that arrive before the apply that created the template has recorded it.
@Suite("Template state: webhooks before their apply")
struct EarlyTemplateEventTests {
    let id = TemplateFixture.id
    let v1 = TemplateFixture.content(body: "Your order {{1}} shipped")

    func early(_ eventID: Int64, _ change: EarlyTemplateEvent.Change = .status, status: String? = nil, quality: String? = nil,
               reason: String? = nil, templateID: String = "111", at offset: TimeInterval) -> EarlyTemplateEvent {
        EarlyTemplateEvent(templateID: templateID, eventID: eventID, change: change, status: status, quality: quality, reason: reason,
                           at: Fixture.t0.addingTimeInterval(offset), receivedAt: Fixture.t0.addingTimeInterval(offset))
    }

    @Test("the create that records Meta's id applies the kept events in Meta's order and drops them")
    func claimedByTheCreate() throws {
        try TemporaryStore.with { (store) throws in
            // Received out of order: the rejection (t0+2) came after the quality (t0+3).
            #expect(try store.parkEarlyTemplateEvent(early(2, .quality, quality: "GREEN", at: 3)) == .kept)
            #expect(try store.parkEarlyTemplateEvent(early(1, status: "REJECTED", reason: "INVALID_FORMAT", at: 2)) == .kept)
            #expect(try store.parkEarlyTemplateEvent(early(1, status: "REJECTED", reason: "INVALID_FORMAT", at: 2)) == .kept,
                    "a replayed event")
            #expect(try store.parkEarlyTemplateEvent(early(3, status: "APPROVED", templateID: "999", at: 2)) == .kept)
            #expect(try store.earlyTemplateEvents().count == 3, "the replay keeps nothing twice")

            try TemplateFixture.apply(Fixture.create(id, v1), TemplateFixture.write(create: true), to: store, at: Fixture.t0)

            let record = try #require(try store.templateRecord(id))
            #expect(record.status == "REJECTED", "Meta's review, not the PENDING the create answered")
            #expect(record.reason == "INVALID_FORMAT")
            #expect(record.quality == "GREEN")
            #expect(record.statusChangedAt == Fixture.t0.addingTimeInterval(2))
            #expect(try store.templateHistory(id).map(\.event) == ["created", "status", "quality"])
            #expect(try store.templateHistory(id).last?.source == "webhook")
            #expect(try store.earlyTemplateEvents().map(\.templateID) == ["999"], "another id's event stays")
        }
    }

    @Test("once the id is recorded nothing is kept: the caller applies the event itself")
    func knownIdIsNotKept() throws {
        try TemporaryStore.with { (store) throws in
            try TemplateFixture.apply(Fixture.create(id, v1), TemplateFixture.write(create: true), to: store, at: Fixture.t0)
            #expect(try store.parkEarlyTemplateEvent(early(1, status: "APPROVED", at: 5)) == .templateKnown)
            #expect(try store.earlyTemplateEvents().isEmpty)
        }
    }

    @Test("kept events older than a day go when another is kept")
    func keptEventsExpire() throws {
        try TemporaryStore.with { (store) throws in
            #expect(try store.parkEarlyTemplateEvent(early(1, status: "APPROVED", templateID: "1", at: 0)) == .kept)
            let later = StateStore.earlyTemplateEventLifetime + 1
            #expect(try store.parkEarlyTemplateEvent(early(2, status: "APPROVED", templateID: "2", at: later)) == .kept)
            #expect(try store.earlyTemplateEvents().map(\.templateID) == ["2"])
        }
    }
}
