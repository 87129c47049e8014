import BizOneModel
import Yams

/// Checks one YAML node tree against a `Schema` and converts it to JSON, with defaults filled in.
///
/// Scalars are typed by the schema, not by YAML's guesses: `businessAccountId: 1029384756` is
/// the string the schema asks for, and `version: 23.10` stays "23.10". Every problem is collected
/// rather than thrown, so a file with five mistakes reports five diagnostics.
struct SchemaValidator {
    private(set) var index: NodeIndex
    private(set) var diagnostics: [Diagnostic] = []
    /// Values one document may expand to. YAML aliases share nodes, so a few lines can stand
    /// for billions of values ("billion laughs"); real pipelines stay far below this.
    static let nodeBudget = 1_000_000
    private var remainingNodes = SchemaValidator.nodeBudget

    init(index: NodeIndex) {
        self.index = index
    }

    /// Validates `node`; returns nil where the value is unusable (a diagnostic was recorded).
    mutating func value(_ node: Node, schema: Schema, path: String) -> JSONValue? {
        guard remainingNodes > 0 else { return nil }
        remainingNodes -= 1
        if remainingNodes == 0 {
            report("this document expands to more than \(Self.nodeBudget) values",
                   at: node.mark, hint: "YAML aliases (*name) that repeat large parts many times are not supported")
            return nil
        }
        switch schema {
        case .object(let object):
            return objectValue(node, object, path: path)
        case .union(let union):
            return unionValue(node, union, path: path)
        case .map(let values, let keyFormat):
            guard let mapping = expectMapping(node, schema, path) else { return nil }
            var result: [String: JSONValue] = [:]
            for (keyNode, valueNode) in mapping {
                guard let key = scalarKey(keyNode, path) else { continue }
                let childPath = join(path, key)
                index.record(path: childPath, value: valueNode.mark, key: keyNode.mark)
                if let problem = keyFormat.check(key) {
                    report(problem.message, at: keyNode.mark, hint: problem.hint)
                }
                if let value = value(valueNode, schema: values, path: childPath) { result[key] = value }
            }
            return .object(result)
        case .array(let items, let minItems, let maxItems):
            guard case .sequence(let sequence) = node else {
                return mismatch(node, schema, path)
            }
            if let minItems, sequence.count < minItems {
                report("\(display(path)) needs at least \(minItems) item\(minItems == 1 ? "" : "s")", at: node.mark)
            }
            if let maxItems, sequence.count > maxItems {
                report("\(display(path)) has \(sequence.count) items; at most \(maxItems) allowed", at: node.mark)
            }
            var result: [JSONValue] = []
            for (offset, item) in sequence.enumerated() {
                let childPath = "\(path)[\(offset)]"
                index.record(path: childPath, value: item.mark, key: nil)
                if let value = value(item, schema: items, path: childPath) { result.append(value) }
            }
            return .array(result)
        case .string(let rules):
            return stringValue(node, rules, path: path, schema: schema)
        case .integer(let minimum, let maximum):
            guard let text = plainScalar(node), let number = Int(text) else { return mismatch(node, schema, path) }
            if let minimum, number < minimum { report("\(display(path)) is \(number); the minimum is \(minimum)", at: node.mark) }
            if let maximum, number > maximum { report("\(display(path)) is \(number); the maximum is \(maximum)", at: node.mark) }
            return .int(number)
        case .number(let minimum, let maximum):
            guard let text = plainScalar(node), let number = Double(text) else { return mismatch(node, schema, path) }
            if let minimum, number < minimum { report("\(display(path)) is \(text); the minimum is \(minimum)", at: node.mark) }
            if let maximum, number > maximum { report("\(display(path)) is \(text); the maximum is \(maximum)", at: node.mark) }
            // Whole numbers as .int, as JSON decoding reads them back: content round-trips exactly.
            return number == number.rounded() && abs(number) < 1e15 ? .int(Int(number)) : .double(number)
        case .boolean:
            switch plainScalar(node) {
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default: return mismatch(node, schema, path)
            }
        case .secretRef:
            return secretValue(node, path: path)
        }
    }

    // MARK: Objects

    private mutating func objectValue(_ node: Node, _ object: ObjectSchema, path: String, extra: Property? = nil) -> JSONValue? {
        guard let mapping = expectMapping(node, .object(object), path) else { return nil }
        let properties = extra.map { [$0] + object.properties } ?? object.properties
        var result: [String: JSONValue] = [:]
        var present = Set<String>()
        for (keyNode, valueNode) in mapping {
            guard let key = scalarKey(keyNode, path) else { continue }
            let childPath = join(path, key)
            index.record(path: childPath, value: valueNode.mark, key: keyNode.mark)
            guard let property = properties.first(where: { $0.name == key }) else {
                let names = properties.map(\.name)
                let hint = Suggest.closest(to: key, in: names).map { "did you mean \"\($0)\"?" }
                    ?? "allowed fields: \(names.joined(separator: ", "))"
                report("unknown field \"\(key)\" in \(display(path))", at: keyNode.mark, hint: hint)
                continue
            }
            if isNull(valueNode) { continue }
            present.insert(key)
            if let value = value(valueNode, schema: property.schema, path: childPath) { result[key] = value }
        }
        for property in properties where property.required && !present.contains(property.name) {
            report("missing required field \"\(property.name)\" in \(display(path))", at: node.mark,
                   hint: property.description.isEmpty ? nil : "\(property.name): \(property.description)")
        }
        for rule in object.rules {
            switch rule {
            case .exactlyOneOf(let names):
                let found = names.filter(present.contains)
                if found.count != 1 {
                    report(found.isEmpty
                           ? "\(display(path)) needs one of \(names.joined(separator: ", "))"
                           : "\(display(path)) may have only one of \(names.joined(separator: ", ")), found \(found.joined(separator: " and "))",
                           at: node.mark)
                }
            case .atLeastOneOf(let names):
                if !names.contains(where: present.contains) {
                    report("\(display(path)) needs at least one of \(names.joined(separator: ", "))", at: node.mark)
                }
            }
        }
        return SchemaDefaults.fill(.object(result), schema: .object(object))
    }

    private mutating func unionValue(_ node: Node, _ union: UnionSchema, path: String) -> JSONValue? {
        guard let mapping = expectMapping(node, .union(union), path) else { return nil }
        let allowed = union.variants.map(\.value)
        guard let pair = mapping.first(where: { $0.key.scalar?.string == union.discriminator }) else {
            report("missing required field \"\(union.discriminator)\" in \(display(path))", at: node.mark,
                   hint: "\(union.discriminator) is one of \(allowed.joined(separator: ", "))")
            return nil
        }
        guard let tag = pair.value.scalar?.string, let variant = union.variant(tag) else {
            let found = pair.value.scalar?.string ?? ""
            let hint = Suggest.closest(to: found, in: allowed).map { "did you mean \"\($0)\"?" }
                ?? "\(union.discriminator) is one of \(allowed.joined(separator: ", "))"
            report("unknown \(union.discriminator) \"\(found)\" in \(display(path))", at: pair.value.mark, hint: hint)
            return nil
        }
        let discriminator = Property(union.discriminator, .oneOf([tag]), required: true, "")
        return objectValue(node, variant, path: path, extra: discriminator)
    }

    // MARK: Scalars

    private mutating func stringValue(_ node: Node, _ rules: StringSchema, path: String, schema: Schema) -> JSONValue? {
        guard case .scalar(let scalar) = node else { return mismatch(node, schema, path) }
        let text = scalar.string
        if let allowed = rules.allowed, !allowed.contains(text) {
            let hint = Suggest.closest(to: text, in: allowed).map { "did you mean \"\($0)\"?" }
                ?? "allowed values: \(allowed.joined(separator: ", "))"
            report("invalid value \"\(text)\" for \(display(path))", at: node.mark, hint: hint)
            return .string(text)
        }
        if let minLength = rules.minLength, text.count < minLength {
            report(minLength == 1 ? "\(display(path)) must not be empty" : "\(display(path)) needs at least \(minLength) characters", at: node.mark)
        }
        if let maxLength = rules.maxLength, text.count > maxLength {
            report("\(display(path)) is \(text.count) characters; at most \(maxLength) allowed", at: node.mark)
        }
        if let problem = rules.format.check(text) {
            report(problem.message, at: node.mark, hint: problem.hint)
        }
        return .string(text)
    }

    private mutating func secretValue(_ node: Node, path: String) -> JSONValue? {
        guard case .mapping(let mapping) = node, mapping.count == 1,
              let key = mapping.first?.key.scalar?.string, ["env", "file"].contains(key),
              let reference = mapping.first?.value.scalar?.string, !reference.isEmpty else {
            // Never echo the value: a secret pasted inline must not reach the terminal or CI logs.
            report("\(display(path)) must be a secret reference, not a value", at: node.mark,
                   hint: "write {env: NAME} or {file: /path/to/secret}; the value is read only when needed")
            return nil
        }
        if key == "env", reference.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) == nil {
            report("invalid environment variable name in \(display(path))", at: mapping.first?.value.mark)
        }
        return .object([key: .string(reference)])
    }

    // MARK: Helpers

    private mutating func expectMapping(_ node: Node, _ schema: Schema, _ path: String) -> Node.Mapping? {
        if case .mapping(let mapping) = node { return mapping }
        _ = mismatch(node, schema, path)
        return nil
    }

    private mutating func scalarKey(_ node: Node, _ path: String) -> String? {
        if case .scalar(let scalar) = node { return scalar.string }
        report("keys in \(display(path)) must be plain strings", at: node.mark)
        return nil
    }

    private mutating func mismatch(_ node: Node, _ schema: Schema, _ path: String) -> JSONValue? {
        let found: String
        switch node {
        case .mapping: found = "a mapping"
        case .sequence: found = "a list"
        case .alias: found = "an alias"
        case .scalar(let scalar):
            found = scalar.style == .plain ? "\"\(scalar.string)\"" : "a quoted string"
        }
        // Secret-bearing fields never get here with a value shown: they are checked by secretValue.
        report("\(display(path)) must be \(schema.typeName), found \(found)", at: node.mark)
        return nil
    }

    private func plainScalar(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return nil }
        return scalar.string
    }

    private func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    mutating func report(_ message: String, at mark: Mark?, hint: String? = nil) {
        let location = mark.map(index.location) ?? index.root
        diagnostics.append(.error(message, at: location, hint: hint))
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func display(_ path: String) -> String { path.isEmpty ? "the document" : path }
}
