/// Template creation and management refusals (reference §6, §17). Subcodes travel with code 100.
///
/// Meta's published subcodes: 2388040 field too long, 2388047 header format, 2388072 body format,
/// 2388073 footer format, 2388293 too many variables, 2388299 variable at start/end, 2388019
/// template limit, 2388024 content in this language exists. Seen in Meta's answers (third-party
/// reports): 2388043 missing expected field `example`, 2388023 name still being deleted.
/// The emulator's own choice where Meta publishes nothing: 2388115 edit quota exceeded.
enum TemplateSubcode {
    static let fieldTooLong = 2_388_040
    static let headerFormat = 2_388_047
    static let bodyFormat = 2_388_072
    static let footerFormat = 2_388_073
    static let tooManyVariables = 2_388_293
    static let danglingVariable = 2_388_299
    static let templateLimit = 2_388_019
    static let languageExists = 2_388_024
    static let nameBeingDeleted = 2_388_023
    static let missingExample = 2_388_043
    static let editQuota = 2_388_115
}

extension EmulatorGraphError {
    /// `(#100) Invalid parameter` with a subcode and the user-facing title and text.
    static func template(_ subcode: Int?, title: String, message: String) -> EmulatorGraphError {
        EmulatorGraphError(code: 100, message: "(#100) Invalid parameter", subcode: subcode, details: message,
                   userTitle: title, userMessage: message, isTransient: false)
    }

    static func templateNotFound(name: String) -> EmulatorGraphError {
        template(nil, title: "Message template not found", message: "No message template named \"\(name)\" exists in this WhatsApp Business Account.")
    }
}
