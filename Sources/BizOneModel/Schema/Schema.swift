/// The shape of a YAML value, declared once per kind.
///
/// One declaration drives three things: the loader's structural checks (types, unknown and
/// missing fields, value formats, each with a source location), the defaults filled in before
/// decoding, and the JSON Schema files editors use. Keeping them one value means the editor
/// and the validator cannot disagree.
public indirect enum Schema: Sendable {
    case string(StringSchema)
    case integer(minimum: Int? = nil, maximum: Int? = nil)
    case number(minimum: Double? = nil, maximum: Double? = nil)
    case boolean
    case array(items: Schema, minItems: Int? = nil, maxItems: Int? = nil)
    /// Free-form string keys with values of one schema (labels, examples, parameters).
    case map(values: Schema, keyFormat: StringFormat = .plain)
    case object(ObjectSchema)
    /// Objects told apart by a string field (`type: URL` for buttons and route actions).
    case union(UnionSchema)
    /// `{env: NAME}` or `{file: PATH}`.
    case secretRef

    public static var string: Schema { .string(StringSchema()) }

    public static func string(_ format: StringFormat, maxLength: Int? = nil) -> Schema {
        .string(StringSchema(format: format, maxLength: maxLength))
    }

    public static func oneOf(_ values: [String]) -> Schema {
        .string(StringSchema(allowed: values))
    }

    /// Human name of the expected type, for "expected X, found Y" messages.
    public var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .number: return "a number"
        case .boolean: return "a boolean (true or false)"
        case .array: return "a list"
        case .map, .object, .union: return "a mapping"
        case .secretRef: return "a secret reference ({env: NAME} or {file: PATH})"
        }
    }
}

public struct StringSchema: Sendable {
    public var format: StringFormat
    public var allowed: [String]?
    public var minLength: Int?
    public var maxLength: Int?

    public init(format: StringFormat = .plain, allowed: [String]? = nil, minLength: Int? = nil, maxLength: Int? = nil) {
        self.format = format
        self.allowed = allowed
        self.minLength = minLength
        self.maxLength = maxLength
    }
}

public struct Property: Sendable {
    public var name: String
    public var schema: Schema
    public var required: Bool
    public var description: String
    /// Filled in by the loader when the field is absent, so omitting a default and writing it
    /// out give the same content hash.
    public var defaultValue: JSONValue?

    public init(_ name: String, _ schema: Schema, required: Bool = false, default defaultValue: JSONValue? = nil, _ description: String) {
        self.name = name
        self.schema = schema
        self.required = required
        self.description = description
        self.defaultValue = defaultValue
    }
}

public enum ObjectRule: Sendable {
    case exactlyOneOf([String])
    case atLeastOneOf([String])
}

public struct ObjectSchema: Sendable {
    public var description: String
    public var properties: [Property]
    public var rules: [ObjectRule]

    public init(_ description: String = "", _ properties: [Property], rules: [ObjectRule] = []) {
        self.description = description
        self.properties = properties
        self.rules = rules
    }

    public func property(_ name: String) -> Property? { properties.first { $0.name == name } }
}

public struct UnionSchema: Sendable {
    public var discriminator: String
    public var description: String
    /// Each variant lists its own fields; the discriminator field is implied.
    public var variants: [(value: String, schema: ObjectSchema)]

    public init(discriminator: String, _ description: String = "", variants: [(value: String, schema: ObjectSchema)]) {
        self.discriminator = discriminator
        self.description = description
        self.variants = variants
    }

    public func variant(_ value: String) -> ObjectSchema? { variants.first { $0.value == value }?.schema }
}
