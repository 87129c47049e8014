import Foundation

/// Turns the kinds' `Schema` values into JSON Schema (draft-07, which yaml-language-server and
/// most editors understand), so editors complete and check the same fields the loader checks.
public enum JSONSchemaExport {
    public static let draft = "http://json-schema.org/draft-07/schema#"

    /// File name of a kind's schema under `schemas/`.
    public static func fileName(for kind: ResourceKind) -> String { "\(kind.slug).schema.json" }

    /// File name of the schema that accepts any kind (for files mixing kinds).
    public static let combinedFileName = "bizone.schema.json"

    public static func document(for kind: ResourceKind) -> JSONValue {
        guard case .object(var members) = object(kind.documentSchema) else { return .null }
        members["$schema"] = .string(draft)
        members["title"] = .string("BizOne \(kind.rawValue)")
        return .object(members)
    }

    public static func combined() -> JSONValue {
        var definitions: [String: JSONValue] = [:]
        var branches: [JSONValue] = []
        for kind in ResourceKind.allCases {
            definitions[kind.rawValue] = object(kind.documentSchema)
            branches.append(.object([
                "if": .object(["properties": .object(["kind": .object(["const": .string(kind.rawValue)])]), "required": .array([.string("kind")])]),
                "then": .object(["$ref": .string("#/definitions/\(kind.rawValue)")]),
            ]))
        }
        return .object([
            "$schema": .string(draft),
            "title": .string("BizOne resource (any kind)"),
            "type": .string("object"),
            "required": .array([.string("apiVersion"), .string("kind"), .string("metadata"), .string("spec")]),
            "properties": .object(["kind": .object(["enum": .array(ResourceKind.allCases.map { .string($0.rawValue) })])]),
            "definitions": .object(definitions),
            "allOf": .array(branches),
        ])
    }

    /// Pretty, key-sorted bytes with a trailing newline: stable for a committed-file check.
    public static func render(_ value: JSONValue) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }

    // MARK: Conversion

    static func schema(_ schema: Schema, description: String? = nil, defaultValue: JSONValue? = nil) -> JSONValue {
        var members: [String: JSONValue]
        switch schema {
        case .object(let object):
            guard case .object(let converted) = Self.object(object) else { return .null }
            members = converted
        case .union(let union):
            members = ["oneOf": .array(union.variants.map { variant in
                var properties = variant.schema.properties
                properties.insert(Property(union.discriminator, .oneOf([variant.value]), required: true, variant.schema.description), at: 0)
                return Self.object(ObjectSchema(variant.schema.description, properties, rules: variant.schema.rules))
            })]
            if !union.description.isEmpty { members["description"] = .string(union.description) }
        case .map(let values, let keyFormat):
            members = ["type": .string("object"), "additionalProperties": Self.schema(values)]
            if let pattern = keyFormat.pattern { members["propertyNames"] = .object(["pattern": .string(pattern)]) }
        case .array(let items, let minItems, let maxItems):
            members = ["type": .string("array"), "items": Self.schema(items)]
            if let minItems { members["minItems"] = .int(minItems) }
            if let maxItems { members["maxItems"] = .int(maxItems) }
        case .string(let rules):
            members = ["type": .string("string")]
            if let allowed = rules.allowed { members["enum"] = .array(allowed.map(JSONValue.string)) }
            if let minLength = rules.minLength { members["minLength"] = .int(minLength) }
            if let maxLength = rules.maxLength { members["maxLength"] = .int(maxLength) }
            if rules.format == .language {
                members["enum"] = .array(MetaLanguages.list.map(JSONValue.string))
            } else if let pattern = rules.format.pattern {
                members["pattern"] = .string(pattern)
            }
            if let format = rules.format.jsonSchemaFormat { members["format"] = .string(format) }
        case .integer(let minimum, let maximum):
            members = ["type": .string("integer")]
            if let minimum { members["minimum"] = .int(minimum) }
            if let maximum { members["maximum"] = .int(maximum) }
        case .number(let minimum, let maximum):
            members = ["type": .string("number")]
            if let minimum { members["minimum"] = .double(minimum) }
            if let maximum { members["maximum"] = .double(maximum) }
        case .boolean:
            members = ["type": .string("boolean")]
        case .secretRef:
            members = ["oneOf": .array(["env", "file"].map { key in
                .object([
                    "type": .string("object"),
                    "properties": .object([key: .object(["type": .string("string"), "minLength": .int(1)])]),
                    "required": .array([.string(key)]),
                    "additionalProperties": .bool(false),
                ])
            })]
        }
        if let description, !description.isEmpty { members["description"] = .string(description) }
        if let defaultValue { members["default"] = defaultValue }
        return .object(members)
    }

    static func object(_ object: ObjectSchema) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for property in object.properties {
            properties[property.name] = schema(property.schema, description: property.description, defaultValue: property.defaultValue)
        }
        var members: [String: JSONValue] = [
            "type": .string("object"),
            "properties": .object(properties),
            "additionalProperties": .bool(false),
        ]
        let required = object.properties.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { members["required"] = .array(required) }
        if !object.description.isEmpty { members["description"] = .string(object.description) }
        for rule in object.rules {
            switch rule {
            case .exactlyOneOf(let names):
                members["oneOf"] = .array(names.map { .object(["required": .array([.string($0)])]) })
            case .atLeastOneOf(let names):
                members["anyOf"] = .array(names.map { .object(["required": .array([.string($0)])]) })
            }
        }
        return .object(members)
    }
}

extension JSONSchemaExport {
    /// Every schema file by name: one per kind plus the combined one.
    public static func files() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for kind in ResourceKind.allCases {
            files[fileName(for: kind)] = try render(document(for: kind))
        }
        files[combinedFileName] = try render(combined())
        return files
    }
}
