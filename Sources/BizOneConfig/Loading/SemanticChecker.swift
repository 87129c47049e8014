import BizOneModel
import Foundation

/// Checks that need typed values or more than one document: Meta's template rules, CSV rows,
/// duplicate IDs and references between resources.
struct SemanticChecker {
    let documents: [ParsedDocument]
    let brokenIDs: Set<ResourceID>
    var diagnostics: [Diagnostic] = []
    var declared: [ResourceID: ParsedDocument] = [:]
    /// Integrations by name, computed once: every template, audience, route and campaign asks.
    var integrations: [String: IntegrationSpec] = [:]

    /// Where CSV files may be read from.
    let dataPaths: DataPaths

    init(documents: [ParsedDocument], brokenIDs: Set<ResourceID>, dataPaths: DataPaths = DataPaths()) {
        self.documents = documents
        self.brokenIDs = brokenIDs
        self.dataPaths = dataPaths
    }

    mutating func run() -> [Resource] {
        var unique: [ParsedDocument] = []
        for document in documents {
            let id = Self.id(of: document)
            if let first = declared[id] {
                diagnostics.append(.error("duplicate \(id): already declared at \(first.location)", at: document.location,
                                          hint: document.kind == .template ? "a template is identified by name and language" : "names must be unique per kind"))
                continue
            }
            declared[id] = document
            unique.append(document)
            if case .integration(let spec) = document.spec { integrations[id.name] = spec }
        }
        var resources: [Resource] = []
        for document in unique {
            var inputs: [String: String] = [:]
            var spec = document.spec
            var specValue = document.specValue
            switch document.spec {
            case .template(let template): checkTemplate(template, document)
            case .audience(var audience):
                if let resolved = checkAudience(&audience, document) {
                    inputs["csv"] = resolved.path
                    if let code = resolved.countryCode { inputs["defaultCountryCode"] = code }
                    spec = .audience(audience)
                    if case .object(var members) = specValue, case .object(var csv)? = members["csv"], let digest = audience.csv?.digest {
                        csv["digest"] = .string(digest)
                        members["csv"] = .object(csv)
                        specValue = .object(members)
                    }
                }
            case .schedule(let schedule): checkSchedule(schedule, document)
            case .campaign(let campaign): checkCampaign(campaign, document)
            case .user(let user): checkUser(user, document)
            case .webhookRoute(let route): checkRoute(route, document)
            case .mailer(let mailer): checkMailer(mailer, document)
            case .sla(let sla): checkSLA(sla, document)
            case .cannedResponse(let canned): checkCannedResponse(canned, document)
            case .role, .integration: break
            }
            do {
                resources.append(try Resource(metadata: document.metadata, spec: spec, location: document.location, inputs: inputs,
                                              specContent: specValue))
            } catch {
                diagnostics.append(.error("cannot encode \(Self.id(of: document)): \(error)", at: document.location))
            }
        }
        return resources
    }

    static func id(of document: ParsedDocument) -> ResourceID {
        var language: String?
        if case .template(let template) = document.spec { language = template.language }
        return ResourceID(kind: document.kind, name: document.metadata.name, language: language)
    }

    // MARK: Shared helpers

    mutating func error(_ message: String, _ document: ParsedDocument, _ path: String, hint: String? = nil) {
        diagnostics.append(.error(message, at: document.location(of: path), hint: hint))
    }

    mutating func warning(_ message: String, _ document: ParsedDocument, _ path: String, hint: String? = nil) {
        diagnostics.append(.warning(message, at: document.location(of: path), hint: hint))
    }

    func exists(_ id: ResourceID) -> Bool { declared[id] != nil || brokenIDs.contains(id) }

    func names(of kind: ResourceKind) -> [String] {
        (declared.keys.filter { $0.kind == kind }.map(\.name) + brokenIDs.filter { $0.kind == kind }.map(\.name)).sorted()
    }

    /// Checks a reference by name and reports it with a suggestion when dangling.
    mutating func reference(_ kind: ResourceKind, _ name: String, from document: ParsedDocument, at path: String) {
        guard !exists(ResourceID(kind: kind, name: name)) else { return }
        let candidates = names(of: kind)
        let hint = Suggest.closest(to: name, in: candidates).map { "did you mean \"\($0)\"?" }
            ?? (candidates.isEmpty ? "no \(kind.rawValue) is declared" : "declared: \(candidates.joined(separator: ", "))")
        error("\(kind.rawValue) \"\(name)\" is not declared", document, path, hint: hint)
    }

    /// The integration a resource belongs to: the named one, or the only one declared
    /// (`IntegrationSet.choose`); a failed choice is reported at the resource.
    mutating func integration(_ name: String?, _ document: ParsedDocument, required: Bool) -> IntegrationSpec? {
        let declared = IntegrationSet(integrations)
        switch declared.choose(name) {
        case .found(_, let spec):
            return spec
        case .unknown(let name):
            reference(.integration, name, from: document, at: "spec.integration")
            return nil
        case .none:
            if required && !brokenIDs.contains(where: { $0.kind == .integration }) {
                error("\(document.kind.rawValue) needs an Integration, and none is declared", document, "spec",
                      hint: "declare an Integration (kind: Integration) in the loaded files")
            }
            return nil
        case .ambiguous:
            error("several integrations are declared; name one", document, "spec",
                  hint: "add integration: \(declared.names.joined(separator: " | "))")
            return nil
        }
    }
}
