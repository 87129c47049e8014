import BizOneModel

/// BizOne's friendly template shape (`TemplateSpec`) onto Meta's wire shapes (reference §3,
/// §6, §9.2): the creation request, the components list, a normalised form for comparing
/// desired with actual (drift), and the send-time components for campaign values.
public enum TemplateMapping {
    // MARK: - Creation

    /// `POST /{waba-id}/message_templates` for `spec` under `name`. Category upper-case,
    /// `parameter_format` lower-case (omitted for AUTHENTICATION templates, which have no
    /// parameters of their own), `message_send_ttl_seconds` from `ttlSeconds`.
    public static func createRequest(name: String, spec: TemplateSpec) -> CreateTemplateRequest {
        CreateTemplateRequest(name: name, language: spec.language, category: spec.category.rawValue,
                              parameterFormat: spec.category == .authentication ? nil : spec.parameterFormat.rawValue,
                              components: components(for: spec), messageSendTTLSeconds: spec.ttlSeconds)
    }

    /// `POST /{template-id}`: the complete component list (Meta replaces it whole) and the TTL;
    /// the category only when it should change (it cannot once the template is approved).
    public static func editRequest(spec: TemplateSpec, includeCategory: Bool = false) -> EditTemplateRequest {
        EditTemplateRequest(category: includeCategory ? spec.category.rawValue : nil, components: components(for: spec),
                            messageSendTTLSeconds: spec.ttlSeconds)
    }

    /// Meta's `components`: HEADER, BODY, FOOTER, BUTTONS in that order, types upper-case.
    public static func components(for spec: TemplateSpec) -> [TemplateComponent] {
        if spec.category == .authentication { return authenticationComponents(spec.authentication) }
        let named = spec.parameterFormat == .named
        var result: [TemplateComponent] = []
        if let header = spec.header { result.append(headerComponent(header, named: named)) }
        if let body = spec.body { result.append(bodyComponent(body, named: named)) }
        if let footer = spec.footer { result.append(TemplateComponent(type: "FOOTER", text: footer)) }
        if !spec.buttons.isEmpty { result.append(TemplateComponent(type: "BUTTONS", buttons: spec.buttons.map(button))) }
        return result
    }

    static func headerComponent(_ header: TemplateSpec.Header, named: Bool) -> TemplateComponent {
        switch header.format {
        case .text:
            let text = header.text ?? ""
            let names = placeholderNames(text)
            var example: ComponentExample?
            if !names.isEmpty {
                let examples = header.examples ?? [:]
                example = named
                    ? ComponentExample(headerTextNamedParams: names.map { NamedParameterExample(paramName: $0, example: examples[$0] ?? "") })
                    : ComponentExample(headerText: names.map { examples[$0] ?? "" })
            }
            return TemplateComponent(type: "HEADER", format: "TEXT", text: text, example: example)
        case .image, .video, .document:
            return TemplateComponent(type: "HEADER", format: header.format.rawValue,
                                     example: header.mediaExample.map { ComponentExample(headerHandle: [$0]) })
        case .location:
            return TemplateComponent(type: "HEADER", format: "LOCATION")
        }
    }

    static func bodyComponent(_ body: TemplateSpec.Body, named: Bool) -> TemplateComponent {
        let names = placeholderNames(body.text)
        var example: ComponentExample?
        if !names.isEmpty {
            example = named
                ? ComponentExample(bodyTextNamedParams: names.map { NamedParameterExample(paramName: $0, example: body.examples[$0] ?? "") })
                : ComponentExample(bodyText: [names.map { body.examples[$0] ?? "" }])
        }
        return TemplateComponent(type: "BODY", text: body.text, example: example)
    }

    static func button(_ button: TemplateSpec.Button) -> TemplateButton {
        switch button.type {
        case .quickReply:
            return TemplateButton(type: "QUICK_REPLY", text: button.text)
        case .url:
            let hasVariable = !placeholderNames(button.url ?? "").isEmpty
            return TemplateButton(type: "URL", text: button.text, url: button.url,
                                  example: hasVariable ? button.example.map { .many([$0]) } : nil)
        case .phoneNumber:
            return TemplateButton(type: "PHONE_NUMBER", text: button.text, phoneNumber: button.phoneNumber)
        case .copyCode:
            return TemplateButton(type: "COPY_CODE", example: button.example.map { .one($0) })
        }
    }

    /// Meta's preset structure: BODY with the security recommendation flag, FOOTER with the
    /// code expiry when set, one OTP button.
    static func authenticationComponents(_ authentication: TemplateSpec.Authentication?) -> [TemplateComponent] {
        var result = [TemplateComponent(type: "BODY", addSecurityRecommendation: authentication?.addSecurityRecommendation ?? true)]
        if let minutes = authentication?.codeExpirationMinutes {
            result.append(TemplateComponent(type: "FOOTER", codeExpirationMinutes: minutes))
        }
        let otp = TemplateButton(type: "OTP", text: authentication?.buttonText,
                                 otpType: authentication?.otpType.rawValue ?? TemplateSpec.Authentication.OTPType.copyCode.rawValue)
        result.append(TemplateComponent(type: "BUTTONS", buttons: [otp]))
        return result
    }

    // MARK: - Normalisation (drift)

    /// The form in which desired and actual components compare equal when they mean the same:
    /// component/format/button/OTP types upper-case; components in HEADER, BODY, FOOTER,
    /// BUTTONS order; named examples sorted by name; button examples as arrays; phone numbers
    /// as digits; empty lists removed. Fields Meta adds or rewrites in its answers and that
    /// BizOne does not manage are dropped: media header handles (Meta answers CDN URLs), the
    /// preset body text and examples of AUTHENTICATION bodies, the generated expiry footer text,
    /// `add_security_recommendation: false`.
    public static func normalized(_ components: [TemplateComponent]) -> [TemplateComponent] {
        let normalised = components.map(normalized(component:))
        return normalised.enumerated()
            .sorted { (rank($0.element.type), $0.offset) < (rank($1.element.type), $1.offset) }
            .map(\.element)
    }

    /// A whole creation request normalised: category upper-case, `parameter_format` lower-case
    /// (absent means positional), `en-US` written `en_US`, components as `normalized(_:)`.
    public static func normalized(_ request: CreateTemplateRequest) -> CreateTemplateRequest {
        var request = request
        request.category = request.category.uppercased()
        request.parameterFormat = request.parameterFormat?.lowercased() ?? TemplateSpec.ParameterFormat.positional.rawValue
        request.language = request.language.replacingOccurrences(of: "-", with: "_")
        request.components = normalized(request.components)
        return request
    }

    static func normalized(component: TemplateComponent) -> TemplateComponent {
        var component = component
        component.type = component.type.uppercased()
        component.format = component.format?.uppercased()
        if component.addSecurityRecommendation == false { component.addSecurityRecommendation = nil }
        switch component.type {
        case "HEADER":
            if let format = component.format, ["IMAGE", "VIDEO", "DOCUMENT", "GIF"].contains(format) {
                component.example?.headerHandle = nil
            }
        case "BODY" where component.addSecurityRecommendation != nil:
            component.text = nil
            component.example = nil
        case "FOOTER" where component.codeExpirationMinutes != nil:
            component.text = nil
        default:
            break
        }
        if var example = component.example {
            example.headerTextNamedParams = example.headerTextNamedParams.flatMap(sortedNamed)
            example.bodyTextNamedParams = example.bodyTextNamedParams.flatMap(sortedNamed)
            example.headerText = example.headerText.flatMap { $0.isEmpty ? nil : $0 }
            example.headerHandle = example.headerHandle.flatMap { $0.isEmpty ? nil : $0 }
            example.bodyText = example.bodyText.flatMap { $0.isEmpty || $0.allSatisfy(\.isEmpty) ? nil : $0 }
            component.example = example == ComponentExample() ? nil : example
        }
        if let buttons = component.buttons {
            component.buttons = buttons.isEmpty ? nil : buttons.map(normalized(button:))
        }
        return component
    }

    static func normalized(button: TemplateButton) -> TemplateButton {
        var button = button
        button.type = button.type.uppercased()
        button.otpType = button.otpType?.uppercased()
        if let example = button.example {
            button.example = example.values.isEmpty ? nil : .many(example.values)
        }
        if let phone = button.phoneNumber {
            button.phoneNumber = String(phone.filter(\.isNumber))
        }
        return button
    }

    static func sortedNamed(_ examples: [NamedParameterExample]) -> [NamedParameterExample]? {
        examples.isEmpty ? nil : examples.sorted { ($0.paramName, $0.example) < ($1.paramName, $1.example) }
    }

    static func rank(_ type: String) -> Int {
        ["HEADER": 0, "BODY": 1, "FOOTER": 2, "BUTTONS": 3][type] ?? 4
    }

    // MARK: - Sending

    /// Send-time components for `spec` filled from campaign values keyed as: body variables by
    /// name (named) or number (positional); text header variables `header.NAME`; URL button
    /// variables `button.INDEX` (zero-based position in `buttons`). Optional extras:
    /// `button.INDEX` on a QUICK_REPLY sets its payload, on a COPY_CODE its coupon code; media
    /// headers take `header.media` (a URL is sent as `link`, anything else as a media `id`);
    /// LOCATION headers take `header.latitude`, `header.longitude`, `header.name`,
    /// `header.address`; AUTHENTICATION templates take `code` (body and copy button).
    ///
    /// Named templates put `parameter_name` on each header/body text parameter; positional ones
    /// send values in placeholder order. A variable without a value is left out (Meta then
    /// answers 132000); `sendParameterKeys(for:)` lists what must be present. Returns `[]` when
    /// the template takes no parameters (send without `components`, like `hello_world`).
    public static func sendComponents(for spec: TemplateSpec, values: [String: String]) -> [SendComponent] {
        if spec.category == .authentication {
            guard let code = values["code"] ?? values["1"] else { return [] }
            return [SendComponent(type: "body", parameters: [.text(code)]),
                    SendComponent(type: "button", subType: "url", index: .string("0"), parameters: [.text(code)])]
        }
        let named = spec.parameterFormat == .named
        var result: [SendComponent] = []
        if let header = spec.header, let component = sendHeader(header, named: named, values: values) {
            result.append(component)
        }
        if let body = spec.body {
            let parameters = placeholderNames(body.text).compactMap { name in
                values[name].map { SendParameter.text($0, name: named ? name : nil) }
            }
            if !parameters.isEmpty { result.append(SendComponent(type: "body", parameters: parameters)) }
        }
        for (index, button) in spec.buttons.enumerated() {
            guard let value = values["button.\(index)"] else { continue }
            switch button.type {
            case .url where !placeholderNames(button.url ?? "").isEmpty:
                result.append(SendComponent(type: "button", subType: "url", index: .string(String(index)), parameters: [.text(value)]))
            case .quickReply:
                result.append(SendComponent(type: "button", subType: "quick_reply", index: .string(String(index)),
                                            parameters: [SendParameter(type: "payload", payload: value)]))
            case .copyCode:
                result.append(SendComponent(type: "button", subType: "copy_code", index: .string(String(index)),
                                            parameters: [SendParameter(type: "coupon_code", couponCode: value)]))
            case .url, .phoneNumber:
                break
            }
        }
        return result
    }

    static func sendHeader(_ header: TemplateSpec.Header, named: Bool, values: [String: String]) -> SendComponent? {
        switch header.format {
        case .text:
            let parameters = placeholderNames(header.text ?? "").compactMap { name in
                values["header.\(name)"].map { SendParameter.text($0, name: named ? name : nil) }
            }
            return parameters.isEmpty ? nil : SendComponent(type: "header", parameters: parameters)
        case .image, .video, .document:
            guard let value = values["header.media"] ?? values["header.\(header.format.rawValue.lowercased())"] else { return nil }
            let media = value.hasPrefix("http://") || value.hasPrefix("https://")
                ? SendParameter.Media(link: value) : SendParameter.Media(id: value)
            var parameter = SendParameter(type: header.format.rawValue.lowercased())
            switch header.format {
            case .image: parameter.image = media
            case .video: parameter.video = media
            default: parameter.document = media
            }
            return SendComponent(type: "header", parameters: [parameter])
        case .location:
            guard let latitude = values["header.latitude"].flatMap(Double.init),
                  let longitude = values["header.longitude"].flatMap(Double.init) else { return nil }
            var parameter = SendParameter(type: "location")
            parameter.location = SendParameter.Location(latitude: latitude, longitude: longitude,
                                                        name: values["header.name"], address: values["header.address"])
            return SendComponent(type: "header", parameters: [parameter])
        }
    }

    /// The value keys `sendComponents` needs for a complete send of `spec` (optional extras
    /// such as quick-reply payloads are not listed), in component order.
    public static func sendParameterKeys(for spec: TemplateSpec) -> [String] {
        if spec.category == .authentication { return ["code"] }
        var keys: [String] = []
        if let header = spec.header {
            switch header.format {
            case .text: keys += placeholderNames(header.text ?? "").map { "header.\($0)" }
            case .image, .video, .document: keys.append("header.media")
            case .location: keys += ["header.latitude", "header.longitude"]
            }
        }
        if let body = spec.body { keys += placeholderNames(body.text) }
        for (index, button) in spec.buttons.enumerated() {
            switch button.type {
            case .url where !placeholderNames(button.url ?? "").isEmpty: keys.append("button.\(index)")
            case .copyCode: keys.append("button.\(index)")
            default: break
            }
        }
        return keys
    }

    /// A template send request for `spec` (components omitted when there are none).
    public static func sendRequest(to recipient: String, name: String, spec: TemplateSpec, values: [String: String],
                                   callbackData: String? = nil) -> SendMessageRequest {
        let components = sendComponents(for: spec, values: values)
        return .template(to: recipient, name: name, language: spec.language, components: components.isEmpty ? nil : components,
                         callbackData: callbackData)
    }

    // MARK: - Helpers

    /// Distinct placeholder names in order of first appearance.
    static func placeholderNames(_ text: String) -> [String] {
        var seen = Set<String>()
        return TemplatePlaceholders.scan(text).placeholders.map(\.name).filter { seen.insert($0).inserted }
    }
}
