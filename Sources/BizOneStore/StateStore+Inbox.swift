import BizOneModel
import Foundation
import GRDB

/// Inbound messages, chat contacts, conversations, assignment and opt-outs.
extension StateStore {
    /// Records one inbound message, idempotently, in one transaction:
    /// - the chat contact is found by its BSUID, else its WhatsApp id, and merged (a payload
    ///   carrying both fills the missing one; the profile name of the newest message wins),
    ///   or created under the event's `contactKey`;
    /// - the message is inserted unless its wamid is known (`isNew`);
    /// - only when new: the contact's conversation is opened (a closed one reopens), `unread`
    ///   grows by one and `last_inbound_at` moves;
    /// - when the WhatsApp id is known, a `contacts` row for "+<wa_id>" exists afterwards (its
    ///   name set if it had none).
    ///
    /// `InboundOutcome.contactKey` is the stored contact's key: the event's `contactKey` unless
    /// the sender was first stored under the other identity.
    public func recordInbound(_ event: InboundMessageEvent, eventID: Int64) throws -> InboundOutcome {
        let raw = event.raw.canonicalString
        let now = Timestamps.format(Date())
        return try write { db in try Inbox.record(event, raw: raw, eventID: eventID, now: now, db) }
    }

    /// `recordInbound` for many messages in one transaction (imports, benchmarks), outcomes in
    /// order.
    public func recordInbound(batch: [(InboundMessageEvent, Int64)]) throws -> [InboundOutcome] {
        let now = Timestamps.format(Date())
        return try write { db in
            try batch.map { event, eventID in try Inbox.record(event, raw: event.raw.canonicalString, eventID: eventID, now: now, db) }
        }
    }

    /// Chat contacts by key (for the inbox and tests).
    public func chatContact(key: String) throws -> ChatContactRecord? {
        try read { db in
            try ChatContactReadRow.one(db.cachedStatement(sql: """
                SELECT key, wa_id, user_id, name, phone, last_inbound_at, created_at, updated_at FROM chat_contacts WHERE key = ?
                """), [key], table: "chat_contacts")?.record()
        }
    }

    /// Inbound messages of a conversation, oldest first; `limit` nil means all.
    public func inboundMessages(conversationID: Int64, limit: Int? = nil) throws -> [InboundMessageRecord] {
        try read { db in
            try InboundMessageRow.all(db.cachedStatement(sql: """
                SELECT wamid, conversation_id, contact_key, type, text, received_at, raw, event_id FROM inbound_messages
                WHERE conversation_id = ? ORDER BY received_at, rowid LIMIT ?
                """), [conversationID, limit.map { max(0, $0) } ?? -1], table: "inbound_messages").map { try $0.record() }
        }
    }

    /// Conversations, most recent message first; `status` nil means open and closed, `limit`
    /// nil means all.
    public func conversations(status: String?, limit: Int?) throws -> [ConversationRecord] {
        try read { db in
            try ConversationRow.all(db.cachedStatement(sql: """
                SELECT \(Inbox.conversationColumns) WHERE (?1 IS NULL OR c.status = ?1)
                ORDER BY COALESCE(c.last_message_at, c.created_at) DESC, c.id DESC LIMIT ?2
                """), [status, limit.map { max(0, $0) } ?? -1], table: "conversations").map(\.record)
        }
    }

    public func conversation(id: Int64) throws -> ConversationRecord? {
        try read { db in
            try ConversationRow.one(db.cachedStatement(sql: "SELECT \(Inbox.conversationColumns) WHERE c.id = ?"), [id],
                                    table: "conversations")?.record
        }
    }

    /// Sets (nil: clears) the assigned user and team. Throws `.conflict` for an unknown id.
    public func assignConversation(id: Int64, user: String?, team: String?, route: String? = nil) throws {
        let now = Timestamps.format(Date())
        try write { db in try Inbox.assign(id: id, user: user, team: team, route: route, now: now, db) }
    }

    /// Marks a conversation read (`unread` = 0). Throws `.conflict` for an unknown id.
    public func markConversationRead(id: Int64) throws {
        let now = Timestamps.format(Date())
        try write { db in
            try db.cachedStatement(sql: "UPDATE conversations SET unread = 0, updated_at = ? WHERE id = ?").execute(arguments: [now, id])
            guard db.changesCount > 0 else { throw StoreError.conflict("no conversation \(id)") }
        }
    }

    /// Picks an agent of `candidates` (empty: nil).
    /// - `roundRobin` (also `round_robin`): the candidate after the team's cursor, in the
    ///   order given (the first when the cursor is unset or no longer a candidate); the cursor
    ///   moves to it.
    /// - `leastOpen` (also `least_open`): the candidate with the fewest open conversations
    ///   assigned, ties by name.
    /// Other strategies throw `.invalidChange`.
    public func nextAssignee(team: String, candidates: [String], strategy: String) throws -> String? {
        if Inbox.leastOpen.contains(strategy) {
            return try read { db in try Inbox.nextAssignee(team: team, candidates: candidates, strategy: strategy, db) }
        }
        return try write { db in try Inbox.nextAssignee(team: team, candidates: candidates, strategy: strategy, db) }
    }

    /// Marks `phone` opted out, creating its `contacts` row if missing. Sticky: the first
    /// opt-out's time is kept, and imports never turn it back.
    public func optOut(phone: String, at: Date) throws {
        try write { db in try Inbox.optOut(phone: phone, at: at, db) }
    }

    public func isOptedOut(phone: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT opted_out FROM contacts WHERE phone = ?"), arguments: [phone]) ?? false
        }
    }
}

enum Inbox {
    static let roundRobin: Set = ["roundRobin", "round_robin", "round-robin"]
    static let leastOpen: Set = ["leastOpen", "least_open", "least-open"]

    static func date(_ text: String) throws -> Date {
        guard let date = Timestamps.parse(text) else { throw StoreError.corrupt("unreadable time \(text)") }
        return date
    }

    static let conversationColumns = """
        c.id AS id, c.contact_key AS contact_key, k.name AS name, k.phone AS phone, c.status AS status, c.unread AS unread,
        c.last_inbound_at AS last_inbound_at, c.last_message_at AS last_message_at, c.assigned_user AS assigned_user,
        c.assigned_team AS assigned_team, c.phone_number_id AS phone_number_id
        FROM conversations AS c LEFT JOIN chat_contacts AS k ON k.key = c.contact_key
        """

    static func record(_ event: InboundMessageEvent, raw: String, eventID: Int64, now: String, _ db: Database) throws -> InboundOutcome {
        let waID = Ledger.nonEmpty(event.waID)
        let userID = Ledger.nonEmpty(event.userID)
        let at = Timestamps.format(event.at)
        let key = try upsertContact(waID: waID, userID: userID, fallbackKey: event.contactKey, name: Ledger.nonEmpty(event.profileName),
                                    at: at, now: now, db)

        if let known = try InboundMessageKeyRow.one(db.cachedStatement(sql: """
            SELECT conversation_id, contact_key FROM inbound_messages WHERE wamid = ?
            """), [event.wamid], table: "inbound_messages") {
            try ensurePhoneContact(key: key, now: now, db)
            return InboundOutcome(isNew: false, contactKey: known.contactKey, conversationID: known.conversationID)
        }

        guard let conversationID = try Int64.fetchOne(db.cachedStatement(sql: """
            INSERT INTO conversations AS c (contact_key, phone_number_id, status, unread, last_inbound_at, last_message_at,
                                            created_at, updated_at)
            VALUES (?1, ?2, 'open', 1, ?3, ?3, ?4, ?4)
            ON CONFLICT(contact_key) DO UPDATE SET
              status = 'open',
              snoozed_until = NULL,
              unread = c.unread + 1,
              phone_number_id = ?2,
              last_inbound_at = MAX(COALESCE(c.last_inbound_at, ?3), ?3),
              last_message_at = MAX(COALESCE(c.last_message_at, ?3), ?3),
              updated_at = ?4
            RETURNING id
            """), arguments: [key, event.phoneNumberID, at, now]) else {
            throw StoreError.database("opening the conversation of \(key) returned no id")
        }
        try db.cachedStatement(sql: """
            INSERT INTO inbound_messages (wamid, conversation_id, contact_key, type, text, received_at, raw, event_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [event.wamid, conversationID, key, event.type, event.text, at, raw, eventID])
        try ensurePhoneContact(key: key, now: now, db)
        return InboundOutcome(isNew: true, contactKey: key, conversationID: conversationID)
    }

    /// Finds the contact by BSUID, else by WhatsApp id (preferring a row that also has a
    /// BSUID, then the most recently active), fills what it lacks, or inserts it. Returns its key.
    static func upsertContact(waID: String?, userID: String?, fallbackKey: String, name: String?, at: String, now: String,
                              _ db: Database) throws -> String {
        var key: String?
        if let userID {
            key = try String.fetchOne(db.cachedStatement(sql: """
                SELECT key FROM chat_contacts WHERE user_id = ? ORDER BY last_inbound_at DESC, key LIMIT 1
                """), arguments: [userID])
        }
        if key == nil, let waID {
            // A row with another BSUID is another identity of that number (the BSUID changes
            // with the number); with a BSUID in hand, only a row without one is this contact.
            key = try String.fetchOne(db.cachedStatement(sql: """
                SELECT key FROM chat_contacts WHERE wa_id = ?1 AND (?2 IS NULL OR user_id IS NULL)
                ORDER BY user_id IS NULL, last_inbound_at DESC, key LIMIT 1
                """), arguments: [waID, userID])
        }
        let phone = waID.map { "+" + $0 }
        try db.cachedStatement(sql: """
            INSERT INTO chat_contacts AS k (key, wa_id, user_id, name, phone, last_inbound_at, created_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
            ON CONFLICT(key) DO UPDATE SET
              wa_id = COALESCE(k.wa_id, ?2),
              user_id = COALESCE(k.user_id, ?3),
              name = CASE WHEN ?4 IS NOT NULL AND (k.last_inbound_at IS NULL OR ?6 >= k.last_inbound_at) THEN ?4
                          ELSE COALESCE(k.name, ?4) END,
              phone = COALESCE(k.phone, ?5),
              last_inbound_at = MAX(COALESCE(k.last_inbound_at, ?6), ?6),
              updated_at = ?7
            """).execute(arguments: [key ?? fallbackKey, waID, userID, name, phone, at, now])
        return key ?? fallbackKey
    }

    /// A `contacts` row for the chat contact's phone, when known; fills a missing name.
    static func ensurePhoneContact(key: String, now: String, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO contacts (phone, name, attributes, tags, opted_out, created_at, updated_at)
            SELECT phone, name, '{}', '[]', 0, ?2, ?2 FROM chat_contacts WHERE key = ?1 AND phone IS NOT NULL
            ON CONFLICT(phone) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
            WHERE contacts.name IS NULL AND excluded.name IS NOT NULL
            """).execute(arguments: [key, now])
    }

    /// `route`: the WebhookRoute that assigned it (kept until another route assigns it; SLAs may
    /// cover conversations by route).
    static func assign(id: Int64, user: String?, team: String?, route: String? = nil, now: String, _ db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE conversations SET assigned_user = ?, assigned_team = ?, routed_by = COALESCE(?, routed_by), updated_at = ? WHERE id = ?
            """).execute(arguments: [user, team, route, now, id])
        guard db.changesCount > 0 else { throw StoreError.conflict("no conversation \(id)") }
    }

    static func nextAssignee(team: String, candidates: [String], strategy: String, _ db: Database) throws -> String? {
        guard !candidates.isEmpty else { return nil }
        switch strategy {
        case _ where roundRobin.contains(strategy):
            let last = try String.fetchOne(db.cachedStatement(sql: "SELECT last_user FROM inbox_cursors WHERE team = ?"),
                                           arguments: [team])
            let next: String
            if let last, let index = candidates.firstIndex(of: last) {
                next = candidates[(index + 1) % candidates.count]
            } else {
                next = candidates[0]
            }
            try db.cachedStatement(sql: """
                INSERT INTO inbox_cursors (team, last_user) VALUES (?, ?) ON CONFLICT(team) DO UPDATE SET last_user = excluded.last_user
                """).execute(arguments: [team, next])
            return next
        case _ where leastOpen.contains(strategy):
            let json = String(decoding: try JSONEncoder().encode(candidates), as: UTF8.self)
            return try String.fetchOne(db.cachedStatement(sql: """
                SELECT u.value FROM json_each(?) AS u
                ORDER BY (SELECT COUNT(*) FROM conversations WHERE assigned_user = u.value AND status = 'open'), u.value
                LIMIT 1
                """), arguments: [json])
        default:
            throw StoreError.invalidChange("unknown assignment strategy \(strategy) (expected roundRobin or leastOpen)")
        }
    }

    static func optOut(phone: String, at: Date, _ db: Database) throws {
        let stamp = Timestamps.format(at)
        try db.cachedStatement(sql: """
            INSERT INTO contacts (phone, name, attributes, tags, opted_out, opted_out_at, created_at, updated_at)
            VALUES (?1, NULL, '{}', '[]', 1, ?2, ?2, ?2)
            ON CONFLICT(phone) DO UPDATE SET opted_out = 1, opted_out_at = ?2, updated_at = ?2
            WHERE NOT contacts.opted_out
            """).execute(arguments: [phone, stamp])
    }
}
