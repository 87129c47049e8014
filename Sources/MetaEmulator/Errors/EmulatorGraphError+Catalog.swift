import Hummingbird

/// Graph-level refusals: tokens, nodes, paths, parameters, cursors.
extension EmulatorGraphError {
    static func missingToken() -> EmulatorGraphError {
        EmulatorGraphError(status: .unauthorized, code: 104, message: "An access token is required to request this resource.")
    }

    static func invalidToken() -> EmulatorGraphError {
        EmulatorGraphError(status: .unauthorized, code: 190, message: "Invalid OAuth access token - Cannot parse access token")
    }

    /// Unknown node id, or a method the node does not support (100/33).
    static func unsupported(_ method: String, id: String) -> EmulatorGraphError {
        EmulatorGraphError(code: 100,
                   message: "Unsupported \(method.lowercased()) request. Object with ID '\(id)' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
                   type: "GraphMethodException", subcode: 33)
    }

    static func unknownPath(_ components: String) -> EmulatorGraphError {
        EmulatorGraphError(code: 2500, message: "Unknown path components: \(components)")
    }

    static func required(_ parameter: String) -> EmulatorGraphError {
        EmulatorGraphError(code: 100, message: "(#100) The parameter \(parameter) is required")
    }

    static func notOneOf(_ parameter: String, _ allowed: [String], got value: String) -> EmulatorGraphError {
        EmulatorGraphError(code: 100, message: "(#100) Param \(parameter) must be one of {\(allowed.joined(separator: ", "))} - got \"\(value)\".")
    }

    static func invalidParameter(_ details: String, userTitle: String? = nil, userMessage: String? = nil) -> EmulatorGraphError {
        EmulatorGraphError(code: 100, message: "(#100) Invalid parameter", details: details, userTitle: userTitle, userMessage: userMessage)
    }

    static func param(_ message: String) -> EmulatorGraphError {
        EmulatorGraphError(code: 100, message: "(#100) \(message)")
    }

    static func nonexistingField(_ field: String, nodeType: String) -> EmulatorGraphError {
        EmulatorGraphError(code: 100, message: "(#100) Tried accessing nonexisting field (\(field)) on node type (\(nodeType))")
    }

    static func invalidJSON(_ details: String) -> EmulatorGraphError {
        EmulatorGraphError(code: 100, message: "(#100) Invalid parameter", details: details)
    }

    /// A stale or made-up paging cursor: 131059 from v24.0, plain 100 before.
    static func invalidCursor(version: APIVersion) -> EmulatorGraphError {
        if version >= .v24 {
            return EmulatorGraphError(code: 131059, message: "(#131059) Invalid pagination cursor",
                              details: "The cursor is invalid or expired. Restart the listing without a cursor.",
                              isTransient: false)
        }
        return EmulatorGraphError(code: 100, message: "(#100) Invalid cursor", details: "The after/before cursor is not valid.")
    }

    /// 80007: too many template-management calls for the WABA.
    static func wabaRateLimit(retryAfter: Int) -> EmulatorGraphError {
        EmulatorGraphError(code: 80007, message: "(#80007) Business request limit reached for WhatsApp Business Account",
                   subcode: 2_446_079, details: "Too many message templates were created for this WhatsApp Business Account in the last hour. Retry in \(retryAfter) seconds.",
                   isTransient: true, retryAfter: retryAfter)
    }

    static func internalError(_ details: String) -> EmulatorGraphError {
        EmulatorGraphError(status: .internalServerError, code: 1, message: "(#1) An unknown error occurred", details: details, isTransient: true)
    }
}
