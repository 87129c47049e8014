import BizOneModel
import MetaGraph

/// The `fields` parameter of template reads, and a record rendered with the fields asked for.
enum TemplateFields {
    static let nodeType = "WhatsAppMessageTemplate"

    static let known: Set<String> = ["id", "name", "language", "status", "category", "parameter_format", "components",
                                     "quality_score", "rejected_reason", "previous_category", "sub_category",
                                     "message_send_ttl_seconds", "correct_category", "cta_url_link_tracking_opted_out"]

    /// The fields Meta returns when none are asked for.
    static let defaults = ["name", "parameter_format", "components", "language", "status", "category", "id"]

    /// nil when `fields` is absent; the requested names otherwise (`quality_score{score}` -> `quality_score`).
    static func parse(_ text: String?, known: Set<String> = known, nodeType: String = nodeType) throws -> [String]? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        var fields: [String] = []
        var depth = 0
        var current = ""
        func flush() {
            let name = String(current.prefix { $0 != "{" && $0 != "." }).trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, !fields.contains(name) { fields.append(name) }
            current = ""
        }
        for character in text {
            switch character {
            case "{": depth += 1; current.append(character)
            case "}": depth -= 1; current.append(character)
            case "," where depth == 0: flush()
            default: current.append(character)
            }
        }
        flush()
        for field in fields where !known.contains(field) {
            throw EmulatorGraphError.nonexistingField(field, nodeType: nodeType)
        }
        return fields
    }

    static func render(_ record: TemplateRecord, fields requested: [String]?) -> Augmented<MessageTemplate> {
        var fields = requested ?? defaults
        if requested == nil {
            if record.subCategory != nil { fields.append("sub_category") }
            if record.previousCategory != nil { fields.append("previous_category") }
        }
        var template = MessageTemplate(id: record.id)
        var extras: [String: JSONValue] = [:]
        for field in fields {
            switch field {
            case "name": template.name = record.name
            case "language": template.language = record.language
            case "status": template.status = record.status
            case "category": template.category = record.category
            case "parameter_format": template.parameterFormat = record.parameterFormat
            case "components": template.components = record.components
            case "quality_score": template.qualityScore = record.quality
            case "rejected_reason": template.rejectedReason = record.rejectedReason
            case "previous_category": template.previousCategory = record.previousCategory
            case "sub_category": template.subCategory = record.subCategory
            case "message_send_ttl_seconds": if let ttl = record.ttl { extras[field] = .int(ttl) }
            case "cta_url_link_tracking_opted_out": extras[field] = .bool(false)
            default: break
            }
        }
        return Augmented(template, extras: extras)
    }
}
