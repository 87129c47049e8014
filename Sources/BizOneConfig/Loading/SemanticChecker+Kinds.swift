import BizOneModel
import Foundation

extension SemanticChecker {
    mutating func checkTemplate(_ template: TemplateSpec, _ document: ParsedDocument) {
        _ = integration(template.integration, document, required: true)
        for issue in TemplateRules.check(template) {
            diagnostics.append(Diagnostic(issue.severity, issue.message, at: document.location(of: issue.path), hint: issue.hint))
        }
        if document.metadata.previousNames.contains(document.metadata.name) {
            error("previousNames lists the template's own name", document, "metadata.previousNames")
        }
    }

    /// Returns the resolved CSV path (and the country code used for local numbers) when the
    /// audience reads one; apply re-reads the same file with the same code.
    mutating func checkAudience(_ audience: inout AudienceSpec, _ document: ParsedDocument) -> (path: String, countryCode: String?)? {
        let owner = integration(audience.integration, document, required: false)
        let countryCode = audience.defaultCountryCode ?? owner?.defaultCountryCode
        var seen = Set<String>()
        for (offset, contact) in (audience.contacts ?? []).enumerated() where !seen.insert(contact.phone).inserted {
            warning("duplicate contact \(contact.phone); it is sent to once", document, "spec.contacts[\(offset)].phone")
        }
        guard var csv = audience.csv else { return nil }
        let resolved: String
        switch dataPaths.resolve(csv.path, from: document.file) {
        case .allowed(let path):
            resolved = path
        case .outside(let path, let folder):
            // Refused before reading: no diagnostic may quote a file outside the pipeline.
            error("CSV path \"\(csv.path)\" is outside the pipeline folder \(folder) (it resolves to \(path))", document, "spec.csv.path",
                  hint: "keep data files inside the folder given on the command line; to read another folder on this host, "
                      + "list it in BIZONE_DATA_DIRS")
            return nil
        }
        do {
            let summary = try AudienceFile.scan(path: resolved, source: csv, defaultCountryCode: countryCode)
            for row in summary.invalid {
                diagnostics.append(.warning("\(row.message); the row is left out",
                                            at: SourceLocation(file: resolved, line: row.line, column: row.column)))
            }
            if summary.unlistedInvalid > 0 {
                diagnostics.append(.warning("and \(summary.unlistedInvalid) more invalid rows, also left out (\(summary.invalidCount) in all)",
                                            at: SourceLocation(file: resolved, line: summary.invalid.last?.line ?? 1, column: 1),
                                            hint: "only the first \(AudienceFile.invalidRowLimit) are listed; fix those and validate again"))
            }
            csv.digest = summary.digest
            audience.csv = csv
            return (resolved, countryCode)
        } catch let failure as AudienceFile.Failure {
            switch failure {
            case .missingColumn: error(failure.description, document, "spec.csv.phoneColumn")
            case .notText(let file, let encoding, let line, let column, let byte):
                diagnostics.append(.error(AudienceFile.Failure.notTextMessage(encoding: encoding, byte: byte) + "; the audience is not loaded",
                                          at: SourceLocation(file: file, line: line, column: column),
                                          hint: AudienceFile.Failure.notTextHint
                                              + " (audience/\(document.metadata.name), \(document.location(of: "spec.csv.path")))"))
            default: error(failure.description, document, "spec.csv.path")
            }
        } catch {
            self.error("cannot read \(resolved): \(error)", document, "spec.csv.path")
        }
        return nil
    }

    mutating func checkSchedule(_ schedule: ScheduleSpec, _ document: ParsedDocument) {
        if let window = schedule.window, window.start == window.end {
            error("send window starts and ends at \(window.start); it would never open", document, "spec.window.end")
        }
    }

    mutating func checkUser(_ user: UserSpec, _ document: ParsedDocument) {
        for (offset, role) in user.roles.enumerated() {
            reference(.role, role, from: document, at: "spec.roles[\(offset)]")
        }
    }

    /// One Mailer at most (serve would not know which to use); AUTH needs both halves; a
    /// plain connection is for loopback only, so it warns elsewhere.
    mutating func checkMailer(_ mailer: MailerSpec, _ document: ParsedDocument) {
        let others = names(of: .mailer).filter { $0 != document.metadata.name }
        if !others.isEmpty {
            error("only one Mailer can be declared; also declared: \(others.joined(separator: ", "))", document, "metadata.name")
        }
        if mailer.username != nil && mailer.password == nil {
            error("username needs a password (a secret reference)", document, "spec.username", hint: "add password: {env: SMTP_PASSWORD}")
        }
        if mailer.password != nil && mailer.username == nil {
            error("password without username", document, "spec.password", hint: "add username, or remove password")
        }
        if mailer.security == .none && !["localhost", "127.0.0.1", "::1"].contains(mailer.host) {
            warning("security: none sends e-mail (password reset links among them) unencrypted to \(mailer.host)", document, "spec.security",
                    hint: "use starttls or tls")
        }
    }

    /// Working hours that close after they open; an escalation to a declared user, or to a
    /// team some declared user is in.
    mutating func checkSLA(_ sla: SLASpec, _ document: ParsedDocument) {
        if let hours = sla.businessHours, let open = SLAEvaluator.secondsOfDay(hours.start), let close = SLAEvaluator.secondsOfDay(hours.end),
           close <= open {
            error("businessHours.end must be after businessHours.start (a working day does not cross midnight)", document,
                  "spec.businessHours.end")
        }
        for (key, value) in [("firstResponse", sla.targets.firstResponse), ("nextResponse", sla.targets.nextResponse),
                             ("resolution", sla.targets.resolution)] {
            if let value, let parsed = DurationValue(parsing: value), parsed.milliseconds <= 0 {
                error("a target of zero is always breached", document, "spec.targets.\(key)", hint: "write a duration such as 5m")
            }
        }
        if let user = sla.escalation?.assignUser { reference(.user, user, from: document, at: "spec.escalation.assignUser") }
        for (offset, route) in sla.appliesTo.routes.enumerated() {
            reference(.webhookRoute, route, from: document, at: "spec.appliesTo.routes[\(offset)]")
        }
        if let route = sla.escalation?.forwardRoute {
            reference(.webhookRoute, route, from: document, at: "spec.escalation.forwardRoute")
            if case .webhookRoute(let spec)? = declared[ResourceID(kind: .webhookRoute, name: route)]?.spec,
               !spec.actions.contains(where: { $0.type == .forward }) {
                error("WebhookRoute \(route) has no forward action to escalate through", document, "spec.escalation.forwardRoute")
            }
        }
        if let team = sla.escalation?.assignTeam {
            let teams = Set(declared.values.compactMap { document -> [String]? in
                if case .user(let user) = document.spec { return user.teams }
                return nil
            }.joined())
            if !teams.contains(team) {
                warning("no declared User is in team \(team); escalated conversations wait unassigned to a person", document,
                        "spec.escalation.assignTeam", hint: teams.isEmpty ? nil : "teams: \(teams.sorted().joined(separator: ", "))")
            }
        }
    }

    /// Fill-ins it knows, and a shortcode no other canned response has.
    mutating func checkCannedResponse(_ canned: CannedResponseSpec, _ document: ParsedDocument) {
        for name in canned.unknownFillIns {
            error("unknown fill-in {{\(name)}}", document, "spec.text", hint: "use " + CannedResponseSpec.fillIns.map { "{{\($0)}}" }.joined(separator: ", "))
        }
        let same = declared.values.filter { other in
            guard other.metadata.name != document.metadata.name, case .cannedResponse(let spec) = other.spec else { return false }
            return spec.shortcode == canned.shortcode
        }.map(\.metadata.name).sorted()
        if !same.isEmpty {
            error("shortcode \(canned.shortcode) is also the shortcode of \(same.joined(separator: ", "))", document, "spec.shortcode")
        }
    }

    mutating func checkRoute(_ route: WebhookRouteSpec, _ document: ParsedDocument) {
        _ = integration(route.integration, document, required: true)
        if let pattern = route.match.text?.regex, (try? NSRegularExpression(pattern: pattern)) == nil {
            error("invalid regular expression", document, "spec.match.text.regex")
        }
        for (offset, action) in route.actions.enumerated() {
            if let agent = action.agent { reference(.user, agent, from: document, at: "spec.actions[\(offset)].agent") }
            if let ref = action.template { templateReference(ref, document, "spec.actions[\(offset)].template") }
        }
    }

    mutating func checkCampaign(_ campaign: CampaignSpec, _ document: ParsedDocument) {
        let owner = integration(campaign.integration, document, required: true)
        reference(.audience, campaign.audience, from: document, at: "spec.audience")
        if let schedule = campaign.schedule { reference(.schedule, schedule, from: document, at: "spec.schedule") }
        if let owner, let rate = campaign.throughput?.messagesPerSecond, rate > owner.throughput.messagesPerSecond {
            warning("campaign rate \(rate)/s is above the integration's \(owner.throughput.messagesPerSecond)/s; Meta will refuse the excess",
                    document, "spec.throughput.messagesPerSecond")
        }
        guard let template = templateReference(campaign.template, document, "spec.template") else { return }
        checkParameters(campaign.parameters, template: template, document)
    }

    /// Checks a name+language reference; returns the template when it is declared and valid.
    @discardableResult
    mutating func templateReference(_ ref: TemplateSpec.TemplateRef, _ document: ParsedDocument, _ path: String) -> TemplateSpec? {
        let id = ResourceID(kind: .template, name: ref.name, language: ref.language)
        if let found = declared[id], case .template(let spec) = found.spec { return spec }
        if brokenIDs.contains(id) { return nil }
        let languages = declared.keys.filter { $0.kind == .template && $0.name == ref.name }.compactMap(\.language).sorted()
        if languages.isEmpty {
            let hint = Suggest.closest(to: ref.name, in: Set(names(of: .template))).map { "did you mean \"\($0)\"?" }
            error("template \"\(ref.name)\" is not declared", document, "\(path).name", hint: hint)
        } else {
            error("template \"\(ref.name)\" has no \(ref.language) version", document, "\(path).language",
                  hint: "declared languages: \(languages.joined(separator: ", "))")
        }
        return nil
    }

    /// Campaign parameters must fill every template variable and nothing else.
    mutating func checkParameters(_ parameters: [String: String], template: TemplateSpec, _ document: ParsedDocument) {
        var expected = Set<String>()
        if let body = template.body { expected.formUnion(TemplatePlaceholders.scan(body.text).placeholders.map(\.name)) }
        if let header = template.header?.text {
            expected.formUnion(TemplatePlaceholders.scan(header).placeholders.map { "header.\($0.name)" })
        }
        for (offset, button) in template.buttons.enumerated() where button.type == .url {
            if !TemplatePlaceholders.scan(button.url ?? "").placeholders.isEmpty { expected.insert("button.\(offset)") }
        }
        for name in expected.subtracting(parameters.keys).sorted() {
            error("parameter \"\(name)\" of template \(template.language) has no value", document, "spec.parameters",
                  hint: "add \(name): \"{{contact.name}}\" or a literal")
        }
        for name in Set(parameters.keys).subtracting(expected).sorted() {
            error("template has no parameter \"\(name)\"", document, "spec.parameters.\(name)",
                  hint: expected.isEmpty ? "this template takes no parameters" : "parameters: \(expected.sorted().joined(separator: ", "))")
        }
        for (name, value) in parameters {
            for reference in Self.contactReferences(in: value) where !Self.isValidContactReference(reference) {
                error("unknown value reference {{\(reference)}}", document, "spec.parameters.\(name)",
                      hint: "use {{contact.name}}, {{contact.phone}} or {{contact.attributes.NAME}}")
            }
        }
    }

    static func contactReferences(in value: String) -> [String] {
        var result: [String] = []
        var rest = value[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            result.append(String(rest[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return result
    }

    static func isValidContactReference(_ reference: String) -> Bool {
        if reference == "contact.name" || reference == "contact.phone" { return true }
        let prefix = "contact.attributes."
        return reference.hasPrefix(prefix) && reference.count > prefix.count
    }
}
