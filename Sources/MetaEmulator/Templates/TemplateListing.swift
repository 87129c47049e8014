import Foundation
import MetaGraph

/// `GET /{waba-id}/message_templates`: filters, cursor paging, `next`/`previous` URLs (reference §4).
/// Newest templates come first; cursors are opaque encodings of a template's creation order.
struct TemplateListing {
    struct Page: Encodable, Sendable {
        var data: [Augmented<MessageTemplate>]
        var paging: Paging?
    }

    var names: String?
    var statuses: Set<String>?
    var languages: Set<String>?
    var categories: Set<String>?
    var qualityScores: Set<String>?
    var content: String?
    var nameOrContent: String?
    var limit: Int
    var after: Int?
    var before: Int?
    var fields: [String]?

    static let defaultLimit = 25

    init(query: QueryString, version: APIVersion) throws {
        names = query["name"].flatMap { $0.isEmpty ? nil : $0 }
        statuses = Self.list(query["status"])
        languages = Self.list(query["language"], upper: false).map { Set($0.map { $0.replacingOccurrences(of: "-", with: "_") }) }
        categories = Self.list(query["category"])
        qualityScores = Self.list(query["quality_score"])
        content = query["content"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        nameOrContent = query["name_or_content"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        if let text = query["limit"] {
            guard let limit = Int(text), limit > 0 else { throw EmulatorGraphError.param("Param limit must be a positive integer") }
            self.limit = min(limit, 1000)
        } else {
            limit = Self.defaultLimit
        }
        if let cursor = query["after"], !cursor.isEmpty {
            guard let position = Self.position(of: cursor) else { throw EmulatorGraphError.invalidCursor(version: version) }
            after = position
        }
        if let cursor = query["before"], !cursor.isEmpty {
            guard let position = Self.position(of: cursor) else { throw EmulatorGraphError.invalidCursor(version: version) }
            before = position
        }
        fields = try TemplateFields.parse(query["fields"])
    }

    func matches(_ record: TemplateRecord) -> Bool {
        if let names, record.name != names { return false }
        if let statuses, !statuses.contains(record.status) { return false }
        if let languages, !languages.contains(record.language) { return false }
        if let categories, !categories.contains(record.category) { return false }
        if let qualityScores, !qualityScores.contains(record.quality.score) { return false }
        if let content, !record.bodyText.lowercased().contains(content) { return false }
        if let nameOrContent, !record.name.contains(nameOrContent), !record.bodyText.lowercased().contains(nameOrContent) { return false }
        return true
    }

    /// One page. `link(cursorKey, cursor)` builds the `next`/`previous` URL.
    func page(of records: [TemplateRecord], link: (String, String) -> String) -> Page {
        let ordered = records.filter(matches).sorted { $0.sequence > $1.sequence }
        let range: Range<Int>
        if let after {
            let start = ordered.firstIndex { $0.sequence < after } ?? ordered.count
            range = start..<min(start + limit, ordered.count)
        } else if let before {
            let end = ordered.firstIndex { $0.sequence <= before } ?? ordered.count
            range = max(0, end - limit)..<end
        } else {
            range = 0..<min(limit, ordered.count)
        }
        let slice = Array(ordered[range])
        let data = slice.map { TemplateFields.render($0, fields: fields) }
        guard let first = slice.first, let last = slice.last else { return Page(data: [], paging: nil) }
        let cursors = Paging.Cursors(before: Self.cursor(first.sequence), after: Self.cursor(last.sequence))
        let next = range.upperBound < ordered.count ? link("after", Self.cursor(last.sequence)) : nil
        let previous = range.lowerBound > 0 ? link("before", Self.cursor(first.sequence)) : nil
        return Page(data: data, paging: Paging(cursors: cursors, next: next, previous: previous))
    }

    static func cursor(_ sequence: Int) -> String {
        Data("AQHemulator:\(sequence)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func position(of cursor: String) -> Int? {
        var text = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let decoded = String(data: data, encoding: .utf8),
              decoded.hasPrefix("AQHemulator:") else { return nil }
        return Int(decoded.dropFirst("AQHemulator:".count))
    }

    static func list(_ text: String?, upper: Bool = true) -> Set<String>? {
        guard let text else { return nil }
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { return nil }
        return Set(items.map { upper ? $0.uppercased() : $0 })
    }
}
