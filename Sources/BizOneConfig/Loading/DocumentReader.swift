import BizOneModel
import Foundation
import Yams

/// Reads one file's YAML documents and checks each against its kind's schema.
struct DocumentReader {
    var diagnostics: [Diagnostic] = []
    var documents: [ParsedDocument] = []
    /// IDs of documents that failed their checks, so references to them are not reported
    /// a second time as dangling.
    var brokenIDs: Set<ResourceID> = []

    mutating func read(file: String) {
        guard let data = FileManager.default.contents(atPath: file) else {
            diagnostics.append(.error("\(file): cannot read file", at: nil))
            return
        }
        read(data, file: file)
    }

    /// The documents of `data`, reported as coming from `file`.
    mutating func read(_ data: Data, file: String) {
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.append(.error("file is not valid UTF-8", at: SourceLocation(file: file, line: 1, column: 1)))
            return
        }
        let parser: Parser
        do {
            parser = try Parser(yaml: text, resolver: .basic)  // scalars are typed by our schemas, not by YAML's guesses
        } catch {
            diagnostics.append(syntaxDiagnostic(error, file: file))
            return
        }
        while true {
            do {
                guard let root = try parser.nextRoot() else { break }
                check(root, file: file)
            } catch {
                diagnostics.append(syntaxDiagnostic(error, file: file))
                // libyaml cannot resynchronise after a syntax error; remember what the rest of
                // the file declares so references to it are not reported as dangling too.
                brokenIDs.formUnion(Self.recoverIDs(from: text))
                break
            }
        }
    }

    private mutating func check(_ root: Node, file: String) {
        let rootLocation = SourceLocation(file: file, line: root.mark?.line ?? 1, column: root.mark?.column ?? 1)
        guard case .mapping(let mapping) = root else {
            if case .scalar(let scalar) = root, scalar.string.isEmpty { return }  // empty document
            diagnostics.append(.error("a document must be a mapping with apiVersion, kind, metadata and spec", at: rootLocation))
            return
        }
        let apiVersion = mapping.first { $0.key.scalar?.string == "apiVersion" }
        let kindPair = mapping.first { $0.key.scalar?.string == "kind" }
        let kindGuess = kindPair.flatMap { $0.value.scalar?.string }.flatMap { name in
            ResourceKind(rawValue: name) ?? Suggest.closest(to: name, in: ResourceKind.allCases.map(\.rawValue)).flatMap(ResourceKind.init(rawValue:))
        }
        var accepted = false
        defer {
            // A document rejected before its schema check still declares something: keep its ID so
            // references to it are not reported a second time (a typo in `kind` counts as meant).
            if !accepted, let kindGuess,
               let id = Self.declaredID(mapping, kind: kindGuess) {
                brokenIDs.insert(id)
            }
        }
        if let apiVersion, apiVersion.value.scalar?.string != BizOne.apiVersion {
            diagnostics.append(.error("unknown apiVersion \"\(apiVersion.value.scalar?.string ?? "")\"", at: location(apiVersion.value.mark, file, rootLocation),
                                      hint: "this release understands apiVersion: \(BizOne.apiVersion)"))
            return
        } else if apiVersion == nil {
            diagnostics.append(.error("missing required field \"apiVersion\"", at: rootLocation, hint: "add apiVersion: \(BizOne.apiVersion)"))
            return
        }
        guard let kindPair else {
            diagnostics.append(.error("missing required field \"kind\"", at: rootLocation,
                                      hint: "kind is one of \(ResourceKind.allCases.map(\.rawValue).joined(separator: ", "))"))
            return
        }
        let kindName = kindPair.value.scalar?.string ?? ""
        guard let kind = ResourceKind(rawValue: kindName) else {
            let names = ResourceKind.allCases.map(\.rawValue)
            diagnostics.append(.error("unknown kind \"\(kindName)\"", at: location(kindPair.value.mark, file, rootLocation),
                                      hint: Suggest.closest(to: kindName, in: names).map { "did you mean \"\($0)\"?" }
                                        ?? "kind is one of \(names.joined(separator: ", "))"))
            return
        }
        var validator = SchemaValidator(index: NodeIndex(file: file, root: rootLocation))
        let value = validator.value(root, schema: .object(kind.documentSchema), path: "")
        diagnostics += validator.diagnostics
        guard validator.diagnostics.isEmpty, let value, let specValue = value["spec"], let metaValue = value["metadata"] else { return }
        do {
            let metadata = try metaValue.decode(Metadata.self)
            let spec = try ResourceSpec.decode(kind: kind, from: specValue)
            documents.append(ParsedDocument(kind: kind, metadata: metadata, spec: spec, specValue: specValue, index: validator.index, file: file))
            accepted = true
        } catch {
            diagnostics.append(.error("cannot read \(kind.rawValue): \(error)", at: rootLocation))
        }
    }

    /// Best-effort IDs in a file YAML could not parse: each `---` section's top-level `kind:`,
    /// `metadata.name` and (templates) `spec.language`, read line by line.
    static func recoverIDs(from text: String) -> Set<ResourceID> {
        var ids = Set<ResourceID>()
        for section in text.components(separatedBy: "\n---") {
            var kind: ResourceKind?, name: String?, language: String?
            var block = ""
            for rawLine in section.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = String(rawLine)
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard !trimmed.hasPrefix("#"), let colon = trimmed.firstIndex(of: ":") else { continue }
                let key = String(trimmed[..<colon])
                let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                if !line.hasPrefix(" ") {
                    block = key
                    if key == "kind" { kind = ResourceKind(rawValue: value) }
                } else if block == "metadata", key == "name", name == nil {
                    name = value
                } else if block == "spec", key == "language", language == nil {
                    language = value
                }
            }
            if let kind, let name, !name.isEmpty {
                ids.insert(ResourceID(kind: kind, name: name, language: kind == .template ? language : nil))
            }
        }
        return ids
    }

    /// Best-effort identity of a document that did not validate.
    static func declaredID(_ mapping: Node.Mapping, kind: ResourceKind) -> ResourceID? {
        func child(_ node: Node?, _ key: String) -> Node? {
            guard case .mapping(let inner)? = node else { return nil }
            return inner.first { $0.key.scalar?.string == key }?.value
        }
        let root = Node.mapping(mapping)
        guard let name = child(child(root, "metadata"), "name")?.scalar?.string else { return nil }
        let language = kind == .template ? child(child(root, "spec"), "language")?.scalar?.string : nil
        return ResourceID(kind: kind, name: name, language: language)
    }

    private func location(_ mark: Mark?, _ file: String, _ fallback: SourceLocation) -> SourceLocation {
        mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? fallback
    }

    private func syntaxDiagnostic(_ error: Error, file: String) -> Diagnostic {
        guard let yamlError = error as? YamlError else {
            return .error("YAML error: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let detail = context.map { "\(problem) (\($0.text) at line \($0.mark.line))" } ?? problem
            return .error("YAML syntax error: \(detail)", at: SourceLocation(file: file, line: mark.line, column: mark.column),
                          hint: problem.contains("mapping values") || problem.contains("indentation") || problem.contains("expected key")
                              ? "check the indentation of this line against the lines above" : nil)
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error("duplicate key \(duplicates.joined(separator: ", ")) in a mapping",
                          at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
        case let .reader(problem, _, _, _):
            return .error("YAML reader error: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            return .error("YAML error: \(yamlError)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
