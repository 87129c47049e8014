import BizOneModel
import Foundation

/// One hash for "what Meta holds": the normalised components. Desired templates and Meta's
/// copies hash equal exactly when sending the desired one would change nothing.
public enum TemplateFingerprint {
    public static func of(_ spec: TemplateSpec) -> String {
        of(components: TemplateMapping.components(for: spec))
    }

    public static func of(components: [TemplateComponent]) -> String {
        // Sorted keys make the encoding canonical for the same components.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(TemplateMapping.normalized(components))) ?? Data()
        return ContentHash.of(data)
    }

    /// Meta's template as the planner compares it.
    public static func remote(_ template: MessageTemplate) -> RemoteTemplate? {
        guard let name = template.name, let language = template.language else { return nil }
        return RemoteTemplate(
            templateID: template.id, name: name, language: language.replacingOccurrences(of: "-", with: "_"),
            status: (template.status ?? "UNKNOWN").uppercased(), category: (template.category ?? "").uppercased(),
            parameterFormat: (template.parameterFormat ?? "positional").lowercased(),
            fingerprint: of(components: template.components ?? []),
            quality: template.qualityScore?.score, rejectedReason: template.rejectedReason)
    }
}
