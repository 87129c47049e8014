import Hummingbird

/// Cloud API send refusals (reference §9, §17, §18). Each carries `error_data.details`.
extension EmulatorGraphError {
    static func cloud(_ code: Int, _ title: String, details: String, status: HTTPResponse.Status = .badRequest,
                      subcode: Int? = nil, isTransient: Bool? = nil, retryAfter: Int? = nil) -> EmulatorGraphError {
        EmulatorGraphError(status: status, code: code, message: "(#\(code)) \(title)", subcode: subcode, details: details,
                   isTransient: isTransient, retryAfter: retryAfter)
    }

    static func throughput(retryAfter: Int) -> EmulatorGraphError {
        cloud(130_429, "Rate limit hit", details: "Cloud API message throughput has been reached.", subcode: 2_494_055,
              isTransient: true, retryAfter: retryAfter)
    }

    static func pairLimit(retryAfter: Int) -> EmulatorGraphError {
        cloud(131_056, "(Business Account, Consumer Account) pair rate limit hit",
              details: "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.",
              isTransient: true, retryAfter: retryAfter)
    }

    static func outsideWindow() -> EmulatorGraphError {
        cloud(131_047, "Re-engagement message",
              details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.")
    }

    static func templateMissing(name: String, language: String) -> EmulatorGraphError {
        cloud(132_001, "Template name does not exist in the translation",
              details: "template name (\(name)) does not exist in \(language)", status: .notFound)
    }

    static func templateNotApproved(name: String, language: String, status: String) -> EmulatorGraphError {
        cloud(132_001, "Template name does not exist in the translation",
              details: "template name (\(name)) does not exist in \(language) (its status is \(status); only APPROVED templates can be sent)",
              status: .notFound)
    }

    static func parameterCount(_ component: String, got: Int, expected: Int) -> EmulatorGraphError {
        cloud(132_000, "Number of parameters does not match the expected number of params",
              details: "\(component): number of localizable_params (\(got)) does not match the expected number of params (\(expected))")
    }

    static func parameterNames(_ component: String, missing: [String], unexpected: [String]) -> EmulatorGraphError {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty { parts.append("unexpected \(unexpected.joined(separator: ", "))") }
        return cloud(132_000, "Number of parameters does not match the expected number of params",
                     details: "\(component): named parameters do not match the template (\(parameterListText(parts)))")
    }

    private static func parameterListText(_ parts: [String]) -> String { parts.joined(separator: "; ") }

    static func parameterFormat(_ details: String) -> EmulatorGraphError {
        cloud(132_012, "Parameter format does not match format in the created template", details: details)
    }

    static func templatePaused(name: String) -> EmulatorGraphError {
        cloud(132_015, "Template is paused", details: "Template \(name) is paused due to low quality, so it cannot be sent.")
    }

    static func templateDisabled(name: String) -> EmulatorGraphError {
        cloud(132_016, "Template is disabled", details: "Template \(name) has been disabled due to low quality, so it cannot be sent.")
    }

    static func textTooLong(_ details: String) -> EmulatorGraphError {
        cloud(132_005, "Translated text too long", details: details)
    }

    static func invalidValue(_ details: String) -> EmulatorGraphError {
        cloud(131_009, "Parameter value is not valid", details: details)
    }

    static func authenticationToBSUID() -> EmulatorGraphError {
        cloud(131_062, "Business-scoped user ID not supported for this message",
              details: "Authentication templates cannot be sent to a business-scoped user ID; use the phone number.")
    }

    /// A recipient rule's refusal, with the catalogue's title for the code.
    static func recipientFailure(_ code: Int) -> EmulatorGraphError {
        let known = DeliveryFailure.describe(code)
        return cloud(code, known.title, details: known.details)
    }
}
