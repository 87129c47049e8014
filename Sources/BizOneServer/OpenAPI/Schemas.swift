import BizOneModel

/// JSON Schema pieces for the OpenAPI document, as `JSONValue`s.
enum Schemas {
    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    static let anyObject: JSONValue = ["type": "object"]

    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var members) = schema, case .string(let type)? = members["type"] else { return ["anyOf": [schema, ["type": "null"]]] }
        members["type"] = [.string(type), "null"]
        return .object(members)
    }

    static func limit(_ maximum: Int) -> JSONValue { ["type": "integer", "minimum": .int(1), "maximum": .int(maximum)] }

    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

    static func map(_ values: JSONValue) -> JSONValue { ["type": "object", "additionalProperties": values] }

    static func oneOf(_ values: [String]) -> JSONValue { ["type": "string", "enum": .array(values.map { .string($0) })] }

    /// An object with these properties; `required` names those always present.
    static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        var members: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { members["required"] = .array(required.sorted().map { .string($0) }) }
        return .object(members)
    }

    /// A request body object whose properties are all required but those in `optional`.
    static func body(_ properties: [String: JSONValue], optional: Set<String> = []) -> JSONValue {
        object(properties, required: properties.keys.filter { !optional.contains($0) })
    }

    static let error = object(["error": string, "message": string], required: ["error", "message"])

    static let tokens = object(["accessToken": string, "refreshToken": string, "tokenType": string, "expiresIn": integer,
                                "sessionId": string], required: ["accessToken", "refreshToken", "tokenType", "expiresIn", "sessionId"])

    static let conversation = object([
        "id": integer, "status": oneOf(["open", "pending", "resolved", "snoozed"]), "snoozedUntil": dateTime,
        "contact": object(["key": string, "name": string, "phone": string], required: ["key"]),
        "assignedUser": string, "assignedTeam": string, "labels": array(string), "unread": integer, "lastInboundAt": dateTime,
        "lastMessageAt": dateTime, "serviceWindowEndsAt": dateTime, "preview": string, "slaBreaches": array(string),
    ], required: ["id", "status", "contact", "labels", "unread", "slaBreaches"])

    static let message = object([
        "direction": oneOf(["inbound", "outbound"]), "wamid": string, "replyId": integer, "at": dateTime, "type": string, "text": string,
        "author": string, "status": string, "statusHistory": array(object(["status": string, "at": dateTime], required: ["status", "at"])),
        "error": object(["code": integer, "title": string]),
    ], required: ["direction", "at", "type", "statusHistory"])

    static let note = object(["id": integer, "author": string, "body": string, "mentions": array(string), "createdAt": dateTime],
                             required: ["id", "author", "body", "mentions", "createdAt"])
}
