import BizOneModel
import Foundation
import GRDB

/// The team's side of the inbox (see `StoreMigrations.v10InboxAPI`): lists with filters and
/// cursor paging, queue counts, threads, replies stored before they are sent, notes, labels,
/// per-agent read marks and the workflow status.
extension StateStore {
    /// One page of the list, most recent activity first, and the cursor of the next page (nil:
    /// this was the last).
    public func conversationPage(_ query: ConversationQuery, at: Date) throws -> (items: [ConversationSummary], next: ConversationCursor?) {
        let limit = min(max(1, query.limit), 200)
        var arguments: [String: (any DatabaseValueConvertible)?] = [
            "now": Timestamps.format(at), "viewer": query.viewer, "team": query.team, "status": query.status?.rawValue,
            "label": query.label, "unread": query.unreadOnly, "limit": limit + 1,
            "after_at": query.after?.activityAt, "after_id": query.after?.id ?? 0,
        ]
        // updateValue: a subscript set to nil would remove the argument instead of binding NULL.
        switch query.assignee {
        case .user(let name)?: arguments.updateValue(name, forKey: "assignee"); arguments.updateValue(false, forKey: "unassigned")
        case .unassigned?: arguments.updateValue(nil, forKey: "assignee"); arguments.updateValue(true, forKey: "unassigned")
        case nil: arguments.updateValue(nil, forKey: "assignee"); arguments.updateValue(false, forKey: "unassigned")
        }
        arguments.updateValue(query.search.flatMap { $0.isEmpty ? nil : "%" + InboxAPI.likeEscaped($0.lowercased()) + "%" }, forKey: "pattern")
        let rows = try read { db in
            try ConversationListRow.all(db.cachedStatement(sql: InboxAPI.listSQL), StatementArguments(arguments), table: "conversations")
        }
        var items = try rows.prefix(limit).map { try $0.summary() }
        var next: ConversationCursor?
        if rows.count > limit, let last = rows.prefix(limit).last {
            next = ConversationCursor(activityAt: last.activityAt, id: last.id)
        }
        if items.isEmpty { next = nil }
        items = Array(items)
        return (items, next)
    }

    /// Conversations changed at or after `since` (oldest change first, at most `limit`), and the
    /// cursor to ask with next (the newest change seen; `since` when none).
    public func conversationsChanged(since: Date, viewer: String, limit: Int, at: Date) throws -> (items: [ConversationSummary], next: Date) {
        let rows = try read { db in
            try ConversationListRow.all(db.cachedStatement(sql: InboxAPI.changedSQL),
                                        ["since": Timestamps.format(since), "viewer": viewer, "now": Timestamps.format(at),
                                         "limit": min(max(1, limit), 500)], table: "conversations")
        }
        let next = rows.compactMap { $0.updatedAt.flatMap(Timestamps.parse) }.max() ?? since
        return (try rows.map { try $0.summary() }, next)
    }

    /// Mine (assigned to `viewer`, not resolved), unassigned (not resolved), all, and per status.
    public func conversationCounts(viewer: String, at: Date) throws -> ConversationCounts {
        try read { db in
            let rows = try StatusCountRow.all(db.cachedStatement(sql: """
                SELECT \(InboxAPI.effectiveStatus) AS status, assigned_user, COUNT(*) AS count FROM conversations AS c
                GROUP BY 1, 2
                """), ["now": Timestamps.format(at)], table: "conversations")
            var counts = ConversationCounts(mine: 0, unassigned: 0, all: 0, byStatus: Dictionary(uniqueKeysWithValues:
                ConversationStatus.allCases.map { ($0.rawValue, 0) }))
            for row in rows {
                counts.all += row.count
                counts.byStatus[row.status, default: 0] += row.count
                guard row.status != ConversationStatus.resolved.rawValue else { continue }
                if row.assignedUser == viewer { counts.mine += row.count }
                if row.assignedUser == nil { counts.unassigned += row.count }
            }
            return counts
        }
    }

    /// The conversation with its messages both ways (oldest first, each outbound one with its
    /// status history) and its notes; nil for an unknown id.
    public func conversationThread(id: Int64, viewer: String, at: Date) throws -> ConversationThread? {
        try read { db in
            guard let row = try ConversationListRow.one(db.cachedStatement(sql: InboxAPI.oneSQL),
                                                        ["id": id, "viewer": viewer, "now": Timestamps.format(at)], table: "conversations")
            else { return nil }
            var messages: [ThreadMessage] = try InboundMessageRow.all(db.cachedStatement(sql: """
                SELECT wamid, conversation_id, contact_key, type, text, received_at, raw, event_id FROM inbound_messages
                WHERE conversation_id = ? ORDER BY received_at, rowid
                """), [id], table: "inbound_messages").map { inbound in
                let record = try inbound.record()
                return ThreadMessage(direction: .inbound, wamid: record.wamid, replyID: nil, at: record.receivedAt, type: record.type,
                                     text: record.text, author: nil, status: nil, history: [], errorCode: nil, errorTitle: nil)
            }
            for reply in try ReplyRow.filter(ReplyRow.Columns.conversationID == id).order(ReplyRow.Columns.id).fetchAll(db) {
                let record = try reply.record()
                var status = record.state.rawValue
                var history: [MessageTransition] = []
                var code = record.errorCode, title = record.errorTitle
                if let wamid = record.wamid {
                    if let message = try MessageRow.one(db.cachedStatement(sql: "SELECT \(Ledger.columns) FROM messages WHERE wamid = ?"),
                                                        [wamid], table: "messages")?.record() {
                        status = message.status
                        code = message.errorCode ?? code
                        title = message.errorTitle ?? title
                    }
                    history = try MessageTransitionRow.all(db.cachedStatement(sql: """
                        SELECT wamid, status, at, late, event_id FROM message_transitions WHERE wamid = ? ORDER BY at, rowid
                        """), [wamid], table: "message_transitions").map { try $0.transition(of: wamid) }
                }
                let (type, text): (String, String?) = switch record.content {
                case .text(let body): ("text", body)
                case let .template(name, language, _): ("template", "\(name)@\(language)")
                }
                messages.append(ThreadMessage(direction: .outbound, wamid: record.wamid, replyID: record.id, at: record.createdAt, type: type,
                                              text: text, author: record.author, status: status, history: history, errorCode: code,
                                              errorTitle: title))
            }
            messages.sort { $0.at < $1.at }
            let notes = try NoteRow.filter(NoteRow.Columns.conversationID == id).order(NoteRow.Columns.id).fetchAll(db).map(\.note)
            return ConversationThread(summary: try row.summary(), messages: messages, notes: notes)
        }
    }

    /// Stores a reply, queued for the sender; throws `.conflict` for an unknown conversation.
    public func queueReply(conversationID: Int64, author: String, content: ReplyContent, at: Date) throws -> ReplyRecord {
        try write { db in
            guard try InboxAPI.exists(conversationID, db) else { throw StoreError.conflict("no conversation \(conversationID)") }
            try ReplyRow(conversationID: conversationID, author: author, content: content, at: at).insert(db)
            try InboxAPI.touch(conversationID, at: at, db)
            let id = db.lastInsertedRowID
            guard let row = try ReplyRow.fetchOne(db, key: id) else { throw StoreError.database("reply \(id) vanished") }
            return try row.record()
        }
    }

    /// Takes up to `limit` queued replies for sending (`sending`), oldest first, with where each
    /// goes. A reply whose conversation has no recipient id fails at once.
    public func claimReplies(limit: Int, at: Date) throws -> [ReplyToSend] {
        try write { db in
            let rows = try ReplyTargetRow.all(db.cachedStatement(sql: """
                SELECT r.id AS id, c.phone_number_id AS phone_number_id, k.wa_id AS wa_id, k.user_id AS user_id
                FROM replies AS r JOIN conversations AS c ON c.id = r.conversation_id LEFT JOIN chat_contacts AS k ON k.key = c.contact_key
                WHERE r.state = 'queued' ORDER BY r.id LIMIT ?
                """), [max(1, limit)], table: "replies")
            var claimed: [ReplyToSend] = []
            for row in rows {
                guard var reply = try ReplyRow.fetchOne(db, key: row.id) else { continue }
                reply.updatedAt = at
                guard let recipient = Ledger.nonEmpty(row.waID) ?? Ledger.nonEmpty(row.userID) else {
                    reply.state = ReplyState.failed.rawValue
                    reply.errorTitle = "the contact has no WhatsApp id to reply to"
                    try reply.update(db)
                    continue
                }
                reply.state = ReplyState.sending.rawValue
                try reply.update(db)
                claimed.append(ReplyToSend(reply: try reply.record(), phoneNumberID: row.phoneNumberID, recipient: recipient))
            }
            return claimed
        }
    }

    /// Meta accepted the reply: it carries the wamid, and the ledger follows it from here
    /// (callback data `reply:<id>`); the conversation's last activity moves.
    public func recordReplyAccepted(id: Int64, wamid: String, recipientID: String?, at: Date) throws {
        try write { db in
            guard var reply = try ReplyRow.fetchOne(db, key: id) else { return }
            reply.state = ReplyState.accepted.rawValue
            reply.wamid = wamid
            reply.updatedAt = at
            try reply.update(db)
            try Ledger.recordAccepted(wamid: wamid, recipientID: recipientID, callbackData: "reply:\(id)",
                                      stamp: Timestamps.formatMilliseconds(at), db)
            try db.cachedStatement(sql: """
                UPDATE conversations SET last_message_at = MAX(COALESCE(last_message_at, ?2), ?2), updated_at = ?2 WHERE id = ?1
                """).execute(arguments: [reply.conversationID, Timestamps.format(at)])
        }
    }

    /// Queued read receipts, oldest first: (wamid, phone number id). They are marked sent or
    /// failed by `finishReadReceipt`; a receipt is harmless to send twice.
    public func queuedReadReceipts(limit: Int) throws -> [(wamid: String, phoneNumberID: String)] {
        try read { db in
            try ReadReceiptRow.all(db.cachedStatement(sql: """
                SELECT wamid, phone_number_id FROM read_receipts WHERE state = 'queued' ORDER BY created_at, wamid LIMIT ?
                """), [max(1, limit)], table: "read_receipts").map { ($0.wamid, $0.phoneNumberID) }
        }
    }

    public func finishReadReceipt(wamid: String, error: String?) throws {
        try write { db in
            try db.cachedStatement(sql: "UPDATE read_receipts SET state = ?, error = ? WHERE wamid = ?")
                .execute(arguments: [error == nil ? "sent" : "failed", error.map { String($0.prefix(300)) }, wamid])
        }
    }

    /// Meta refused the reply (or it could not be sent): Meta's code and title stay with it.
    public func recordReplyFailed(id: Int64, code: Int?, title: String, at: Date) throws {
        try write { db in
            guard var reply = try ReplyRow.fetchOne(db, key: id) else { return }
            reply.state = ReplyState.failed.rawValue
            reply.errorCode = code
            reply.errorTitle = String(title.prefix(500))
            reply.updatedAt = at
            try reply.update(db)
            try InboxAPI.touch(reply.conversationID, at: at, db)
        }
    }

    /// Replies left `sending` by a process that stopped mid-send go back to `queued`... unless
    /// they may have reached Meta; without a wamid there is no way to know, so they are failed
    /// with a title saying so (never sent twice).
    public func resolveInterruptedReplies(at: Date) throws -> Int {
        try write { db in
            try db.execute(sql: """
                UPDATE replies SET state = 'failed', error_title = 'interrupted while sending: it may or may not have reached the customer',
                  updated_at = ? WHERE state = 'sending'
                """, arguments: [Timestamps.format(at)])
            return db.changesCount
        }
    }

    public func setConversationStatus(id: Int64, status: ConversationStatus, snoozedUntil: Date?, at: Date) throws {
        try write { db in
            try db.cachedStatement(sql: "UPDATE conversations SET status = ?, snoozed_until = ?, updated_at = ? WHERE id = ?")
                .execute(arguments: [status.rawValue, status == .snoozed ? snoozedUntil.map(Timestamps.format) : nil, Timestamps.format(at), id])
            guard db.changesCount > 0 else { throw StoreError.conflict("no conversation \(id)") }
        }
    }

    public func addNote(conversationID: Int64, author: String, body: String, mentions: [String], at: Date) throws -> ConversationNote {
        try write { db in
            guard try InboxAPI.exists(conversationID, db) else { throw StoreError.conflict("no conversation \(conversationID)") }
            let encoded = String(data: try JSONEncoder().encode(mentions), encoding: .utf8) ?? "[]"
            try NoteRow(id: nil, conversationID: conversationID, author: author, body: body, mentions: encoded, createdAt: at).insert(db)
            try InboxAPI.touch(conversationID, at: at, db)
            return NoteRow(id: db.lastInsertedRowID, conversationID: conversationID, author: author, body: body, mentions: encoded,
                           createdAt: at).note
        }
    }

    /// Adds and removes labels; returns the labels now.
    public func updateLabels(conversationID: Int64, add: [String], remove: [String], at: Date = Date()) throws -> [String] {
        try write { db in
            guard try InboxAPI.exists(conversationID, db) else { throw StoreError.conflict("no conversation \(conversationID)") }
            try InboxAPI.touch(conversationID, at: at, db)
            for label in add {
                try db.cachedStatement(sql: "INSERT INTO conversation_labels (conversation_id, label) VALUES (?, ?) ON CONFLICT DO NOTHING")
                    .execute(arguments: [conversationID, label])
            }
            for label in remove {
                try db.cachedStatement(sql: "DELETE FROM conversation_labels WHERE conversation_id = ? AND label = ?")
                    .execute(arguments: [conversationID, label])
            }
            return try String.fetchAll(db.cachedStatement(sql: "SELECT label FROM conversation_labels WHERE conversation_id = ? ORDER BY label"),
                                       arguments: [conversationID])
        }
    }

    /// Marks the conversation read for `user` (up to its newest inbound message), or unread (its
    /// newest inbound message unread again). Other agents' marks do not move. With `receipt`,
    /// Meta's read receipt for the newest inbound message is queued (once per message).
    /// Returns the newest inbound wamid.
    @discardableResult
    public func markConversation(id: Int64, user: String, read: Bool, receipt: Bool = false, at: Date = Date()) throws -> String? {
        try write { db in
            guard try InboxAPI.exists(id, db) else { throw StoreError.conflict("no conversation \(id)") }
            let newest = try InboundMarkRow.all(db.cachedStatement(sql: """
                SELECT wamid, received_at FROM inbound_messages WHERE conversation_id = ? ORDER BY received_at DESC, rowid DESC LIMIT 2
                """), [id], table: "inbound_messages")
            let mark = read ? newest.first?.receivedAt : newest.dropFirst().first?.receivedAt
            try InboxAPI.touch(id, at: at, db)
            try db.cachedStatement(sql: """
                INSERT INTO conversation_reads (conversation_id, user_name, read_at) VALUES (?1, ?2, ?3)
                ON CONFLICT(conversation_id, user_name) DO UPDATE SET read_at = ?3
                """).execute(arguments: [id, user, mark])
            if read { try db.cachedStatement(sql: "UPDATE conversations SET unread = 0 WHERE id = ?").execute(arguments: [id]) }
            if read, receipt, let wamid = newest.first?.wamid {
                try db.cachedStatement(sql: """
                    INSERT INTO read_receipts (wamid, phone_number_id, state, created_at)
                    SELECT ?1, phone_number_id, 'queued', ?3 FROM conversations WHERE id = ?2
                    ON CONFLICT(wamid) DO NOTHING
                    """).execute(arguments: [wamid, id, Timestamps.format(at)])
            }
            return newest.first?.wamid
        }
    }
}

enum InboxAPI {
    /// A snooze that ran out reads as open.
    static let effectiveStatus = "CASE WHEN c.status = 'snoozed' AND c.snoozed_until IS NOT NULL AND c.snoozed_until <= :now THEN 'open' ELSE c.status END"

    static let selectColumns = """
        SELECT c.id AS id, c.contact_key AS contact_key, k.name AS name, k.phone AS phone, \(effectiveStatus) AS status,
          c.snoozed_until AS snoozed_until, c.assigned_user AS assigned_user, c.assigned_team AS assigned_team,
          c.last_inbound_at AS last_inbound_at, c.last_message_at AS last_message_at, c.phone_number_id AS phone_number_id,
          COALESCE(c.last_message_at, c.created_at) AS activity_at, c.updated_at AS updated_at,
          (SELECT COUNT(*) FROM inbound_messages AS m WHERE m.conversation_id = c.id
             AND m.received_at > COALESCE((SELECT r.read_at FROM conversation_reads AS r
                                           WHERE r.conversation_id = c.id AND r.user_name = :viewer), '')) AS unread_for_viewer,
          (SELECT group_concat(l.label, char(10)) FROM conversation_labels AS l WHERE l.conversation_id = c.id) AS labels,
          (SELECT m.text FROM inbound_messages AS m WHERE m.conversation_id = c.id ORDER BY m.received_at DESC, m.rowid DESC LIMIT 1) AS inbound_text,
          (SELECT m.received_at FROM inbound_messages AS m WHERE m.conversation_id = c.id ORDER BY m.received_at DESC, m.rowid DESC LIMIT 1) AS inbound_at,
          (SELECT p.text FROM replies AS p WHERE p.conversation_id = c.id ORDER BY p.id DESC LIMIT 1) AS reply_text,
          (SELECT p.created_at FROM replies AS p WHERE p.conversation_id = c.id ORDER BY p.id DESC LIMIT 1) AS reply_at,
          (SELECT group_concat(b.sla || ' ' || b.target, char(10)) FROM sla_breaches AS b WHERE b.conversation_id = c.id) AS breaches
        FROM conversations AS c LEFT JOIN chat_contacts AS k ON k.key = c.contact_key
        """

    /// The page's ids are chosen first on the conversation's own columns (newest activity
    /// first, by the `last_message_at, id` index), and only those 25 get the per-row
    /// subqueries (unread count, labels, previews): make bench showed computing them for every
    /// row before sorting cost ~3 ms per thousand conversations.
    static let listSQL = """
        WITH page AS (
          SELECT c.id AS pid FROM conversations AS c
          WHERE (:assignee IS NULL OR c.assigned_user = :assignee)
            AND (:unassigned = 0 OR c.assigned_user IS NULL)
            AND (:team IS NULL OR c.assigned_team = :team)
            AND (:status IS NULL OR \(effectiveStatus) = :status)
            AND (:label IS NULL OR EXISTS (SELECT 1 FROM conversation_labels AS l WHERE l.conversation_id = c.id AND l.label = :label))
            AND (:unread = 0 OR EXISTS (SELECT 1 FROM inbound_messages AS m WHERE m.conversation_id = c.id
                   AND m.received_at > COALESCE((SELECT r.read_at FROM conversation_reads AS r
                                                 WHERE r.conversation_id = c.id AND r.user_name = :viewer), '')))
            AND (:pattern IS NULL
                 OR EXISTS (SELECT 1 FROM inbound_messages AS m WHERE m.conversation_id = c.id AND lower(m.text) LIKE :pattern ESCAPE '\\')
                 OR EXISTS (SELECT 1 FROM replies AS p WHERE p.conversation_id = c.id AND lower(p.text) LIKE :pattern ESCAPE '\\'))
            AND (:after_at IS NULL OR c.last_message_at < :after_at OR (c.last_message_at = :after_at AND c.id < :after_id))
          ORDER BY c.last_message_at DESC, c.id DESC
          LIMIT :limit)
        \(selectColumns)
        WHERE c.id IN (SELECT pid FROM page)
        ORDER BY c.last_message_at DESC, c.id DESC
        """

    static let oneSQL = "\(selectColumns) WHERE c.id = :id"

    /// Changed at or after `:since` (the same second may come again: events are idempotent).
    static let changedSQL = "\(selectColumns) WHERE c.updated_at >= :since ORDER BY c.updated_at, c.id LIMIT :limit"

    /// Moves `updated_at`, so live streams see the change.
    static func touch(_ id: Int64, at: Date, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE conversations SET updated_at = MAX(updated_at, ?) WHERE id = ?")
            .execute(arguments: [Timestamps.format(at), id])
    }

    static func exists(_ id: Int64, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM conversations WHERE id = ?"), arguments: [id]) ?? false
    }

    /// `%`, `_` and `\` match themselves in a LIKE pattern.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
