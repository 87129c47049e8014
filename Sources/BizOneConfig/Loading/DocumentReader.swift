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
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.append(.error("file is not valid UTF-8", at: SourceLocation(file: file, line: 1, column: 1)))
            return
        }
        let parser: Parser
        do {
            parser = try Parser(yaml: text)
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
                break  // libyaml cannot resynchronise after a syntax error
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
        guard validator.diagnostics.isEmpty, let value, let specValue = value["spec"], let metaValue = value["metadata"] else {
            if let id = Self.declaredID(mapping, kind: kind) { brokenIDs.insert(id) }
            return
        }
        do {
            let metadata = try metaValue.decode(Metadata.self)
            let spec = try ResourceSpec.decode(kind: kind, from: specValue)
            documents.append(ParsedDocument(kind: kind, metadata: metadata, spec: spec, index: validator.index, file: file))
        } catch {
            diagnostics.append(.error("cannot read \(kind.rawValue): \(error)", at: rootLocation))
            if let id = Self.declaredID(mapping, kind: kind) { brokenIDs.insert(id) }
        }
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
