import BizOneModel
import Foundation
import GRDB

/// The SQL that evaluates an audience: who its sources yield, minus opted-out contacts, minus
/// its exclusions. Everything runs in SQLite over `contacts`, so reading a million recipients
/// needs no more memory than one batch.
///
/// Sources are combined (a union): the audience's imported members (CSV and inline rows) and,
/// when the spec has a `filter`, every known contact matching all of its conditions (tags: all
/// of them; attributes: equal values; `lastInboundWithin`: the contact wrote to us within that
/// long before `now`, by `chat_contacts.last_inbound_at` of the WhatsApp id = phone without '+').
/// Exclusions (any of the tags, or one of the phones) apply after; opted-out contacts are
/// always left out.
struct AudienceQuery {
    enum Members {
        /// `audience_members` of the audience, as the last import left them.
        case stored
        /// The rows in `temp.audience_staging`, merged with `contacts` the way an import would:
        /// what the audience would be if it were imported now.
        case staged
    }

    var audience: String
    var spec: AudienceSpec
    var now: Date
    var members: Members

    init(audience: String, spec: AudienceSpec, now: Date, members: Members) throws {
        self.audience = audience
        self.spec = spec
        self.now = now
        self.members = members
        if let text = spec.filter?.lastInboundWithin, DurationValue(parsing: text) == nil {
            throw StoreError.invalidChange("audience \(audience): lastInboundWithin \"\(text)\" is not a duration")
        }
    }

    var arguments: StatementArguments {
        var values: [String: (any DatabaseValueConvertible)?] = ["audience": audience]
        if let tags = spec.filter?.tags, !tags.isEmpty { values["filterTags"] = JSONValue(stringSet: tags).canonicalString }
        if let attributes = spec.filter?.attributes, !attributes.isEmpty {
            values["filterAttributes"] = JSONValue(strings: attributes).canonicalString
        }
        if let text = spec.filter?.lastInboundWithin, let within = DurationValue(parsing: text) {
            values["inboundSince"] = Timestamps.formatMilliseconds(now.addingTimeInterval(-within.seconds))
        }
        if let phones = spec.exclude?.phones, !phones.isEmpty { values["excludePhones"] = JSONValue(stringSet: phones).canonicalString }
        if let tags = spec.exclude?.tags, !tags.isEmpty { values["excludeTags"] = JSONValue(stringSet: tags).canonicalString }
        return StatementArguments(values)
    }

    /// Conditions of the filter on a `contacts` row `c`; nil without a filter. An empty filter
    /// matches every known contact.
    var filterCondition: String? {
        guard let filter = spec.filter else { return nil }
        var parts: [String] = []
        if let tags = filter.tags, !tags.isEmpty {
            parts.append("""
                NOT EXISTS (SELECT 1 FROM json_each(:filterTags) f
                            WHERE NOT EXISTS (SELECT 1 FROM json_each(c.tags) t WHERE t.value = f.value))
                """)
        }
        if let attributes = filter.attributes, !attributes.isEmpty {
            parts.append("""
                NOT EXISTS (SELECT 1 FROM json_each(:filterAttributes) f
                            WHERE NOT EXISTS (SELECT 1 FROM json_each(c.attributes) a WHERE a.key = f.key AND a.value = f.value))
                """)
        }
        if filter.lastInboundWithin != nil {
            // Times in chat_contacts come with or without milliseconds; julianday reads both.
            parts.append("""
                EXISTS (SELECT 1 FROM chat_contacts k
                        WHERE k.wa_id = substr(c.phone, 2) AND julianday(k.last_inbound_at) >= julianday(:inboundSince))
                """)
        }
        return parts.isEmpty ? "1" : parts.map { "(\($0))" }.joined(separator: " AND ")
    }

    /// Whether candidate row `x` is excluded by the spec (opt-outs aside).
    var excludedCondition: String {
        var parts: [String] = []
        if let phones = spec.exclude?.phones, !phones.isEmpty {
            parts.append("x.phone IN (SELECT value FROM json_each(:excludePhones))")
        }
        if let tags = spec.exclude?.tags, !tags.isEmpty {
            parts.append("EXISTS (SELECT 1 FROM json_each(x.tags) t WHERE t.value IN (SELECT value FROM json_each(:excludeTags)))")
        }
        return parts.isEmpty ? "0" : "(" + parts.joined(separator: " OR ") + ")"
    }

    /// Every distinct contact the sources yield, as (phone, name, attributes, tags, opted_out).
    var candidates: String {
        let columns = "c.name AS name, c.attributes AS attributes, c.tags AS tags, c.opted_out AS opted_out"
        switch (members, filterCondition) {
        case (.stored, nil):
            // Driven by the (audience, phone) key, so batches in phone order are index ranges.
            return """
                SELECT m.phone AS phone, \(columns)
                FROM audience_members m JOIN contacts c ON c.phone = m.phone WHERE m.audience = :audience
                """
        case (.stored, let filter?):
            return """
                SELECT c.phone AS phone, \(columns) FROM contacts c
                WHERE EXISTS (SELECT 1 FROM audience_members m WHERE m.audience = :audience AND m.phone = c.phone)
                   OR (\(filter))
                """
        case (.staged, let filter):
            // Staged rows merged into what `contacts` knows, as `AudienceProjection` would merge them.
            let staged = """
                SELECT s.phone AS phone, COALESCE(s.name, c.name) AS name,
                  CASE WHEN c.phone IS NULL THEN s.attributes ELSE json_patch(c.attributes, s.attributes) END AS attributes,
                  CASE WHEN c.phone IS NULL THEN s.tags ELSE (SELECT json_group_array(value) FROM
                    (SELECT value FROM json_each(c.tags) UNION SELECT value FROM json_each(s.tags) ORDER BY value)) END AS tags,
                  (s.opted_out OR COALESCE(c.opted_out, 0)) AS opted_out
                FROM temp.audience_staging s LEFT JOIN contacts c ON c.phone = s.phone
                """
            guard let filter else { return staged }
            return staged + """

                UNION ALL
                SELECT c.phone AS phone, \(columns) FROM contacts c
                WHERE NOT EXISTS (SELECT 1 FROM temp.audience_staging s WHERE s.phone = c.phone) AND (\(filter))
                """
        }
    }

    /// One row: contacts, opted out, excluded (and not opted out).
    var countsSQL: String {
        """
        SELECT count(*) AS contacts, total(x.opted_out != 0) AS opted_out,
               total(x.opted_out = 0 AND \(excludedCondition)) AS excluded
        FROM (\(candidates)) x
        """
    }

    /// Final recipients BizOne has a message to since `:since` (the ledger keys recipients by
    /// WhatsApp id: the phone without '+').
    var recentlyMessagedSQL: String {
        """
        SELECT count(*) FROM (\(candidates)) x
        WHERE x.opted_out = 0 AND NOT \(excludedCondition)
          AND EXISTS (SELECT 1 FROM messages m WHERE m.recipient_id = substr(x.phone, 2) AND m.created_at >= :since)
        """
    }

    /// Recipients with a phone after `:after`, in phone order, at most `:limit`.
    var recipientsSQL: String {
        """
        SELECT x.phone AS phone, x.name AS name, x.attributes AS attributes FROM (\(candidates)) x
        WHERE x.opted_out = 0 AND NOT \(excludedCondition) AND x.phone > :after
        ORDER BY x.phone LIMIT :limit
        """
    }

    func counts(_ db: Database) throws -> (contacts: Int, optedOut: Int, excluded: Int) {
        guard let row = try AudienceCountsRow.one(db.makeStatement(sql: countsSQL), arguments, table: "contacts") else {
            throw StoreError.database("counting audience \(audience) returned no row")
        }
        return try row.counts()
    }

    func recipients(after: String, limit: Int, _ db: Database) throws -> [AudienceRecipient] {
        var arguments = self.arguments
        _ = arguments.append(contentsOf: ["after": after, "limit": limit])
        let statement = try db.cachedStatement(sql: recipientsSQL)
        var recipients: [AudienceRecipient] = []
        recipients.reserveCapacity(limit)
        // A cursor decodes straight from SQLite, one row at a time, for batches of any size.
        let rows = try AudienceRecipientRow.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() {
            guard let attributes = Self.decodeAttributes(row.attributes) else {
                throw StoreError.corrupt("contact \(row.phone) has unreadable attributes \(row.attributes)")
            }
            recipients.append(AudienceRecipient(phone: row.phone, name: row.name, attributes: attributes))
        }
        return recipients
    }

    /// Attributes as text: strings as they are, other values (written by hand into the file) in
    /// their JSON form, nulls left out; nil when the text is not an object.
    static func decodeAttributes(_ text: String) -> [String: String]? {
        guard let value = try? JSONValue.parse(text), case .object(let object) = value else { return nil }
        var result: [String: String] = [:]
        for (key, item) in object {
            switch item {
            case .string(let string): result[key] = string
            case .null: continue
            default: result[key] = item.canonicalString
            }
        }
        return result
    }
}
