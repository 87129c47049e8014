import BizOneModel

/// Fills in declared defaults, recursively, so that writing a default out and leaving it out
/// produce the same content (and the same hash).
enum SchemaDefaults {
    static func fill(_ value: JSONValue, schema: Schema) -> JSONValue {
        guard case .object(let object) = schema, case .object(var members) = value else { return value }
        for property in object.properties {
            if let present = members[property.name] {
                members[property.name] = fill(present, schema: property.schema)
            } else if let defaultValue = property.defaultValue {
                members[property.name] = fill(defaultValue, schema: property.schema)
            }
        }
        return .object(members)
    }
}
