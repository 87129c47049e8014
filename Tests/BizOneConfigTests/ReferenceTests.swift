@testable import BizOneConfig
import BizOneModel
import Foundation
import Testing

/// The line and 1-based column of the first occurrence of `needle` at or after line `from`.
func position(of needle: String, in text: String, fromLine from: Int = 1) -> (line: Int, column: Int)? {
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where offset + 1 >= from {
        if let range = line.range(of: needle) {
            return (offset + 1, line.distance(from: line.startIndex, to: range.lowerBound) + 1)
        }
    }
    return nil
}

@Suite("Duplicates and references")
struct ReferenceTests {
    /// Loads `text` and expects exactly one error, returned with the file path.
    func singleError(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> (Diagnostic, String) {
        let (result, file) = try loadOne(text)
        #expect(result.desired == nil, sourceLocation: sourceLocation)
        try #require(result.errors.count == 1, "\(result.diagnostics)", sourceLocation: sourceLocation)
        return (result.errors[0], file)
    }

    @Test func theSameTemplateNameAndLanguageTwiceIsAnErrorNamingTheFirst() throws {
        let text = YAML.documents(YAML.integration, YAML.template(), YAML.template())
        let starts = lines(startingWith: "apiVersion:", in: text)
        let (error, file) = try singleError(text)
        #expect(error.message == "duplicate template/order_update@en_US: already declared at \(file):\(starts[1]):1")
        #expect(error.location == BizOneModel.SourceLocation(file: file, line: starts[2], column: 1))
        #expect(error.hint == "a template is identified by name and language")
    }

    @Test func theSameTemplateNameInAnotherLanguageIsFine() throws {
        let (result, _) = try loadOne(YAML.documents(YAML.integration, YAML.template(), YAML.template(language: "id")))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.ids == ["integration/main", "template/order_update@en_US", "template/order_update@id"])
    }

    @Test func theSameNameInDifferentKindsIsFine() throws {
        let (result, _) = try loadOne(YAML.documents(YAML.role("ops"), YAML.user("ops", roles: "[ops]")))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.ids == ["role/ops", "user/ops"])
    }

    @Test func aCampaignNamingAnUndeclaredTemplateGetsASuggestion() throws {
        let text = YAML.documents(YAML.integration, YAML.template(), YAML.audience(), YAML.schedule(),
                                  YAML.campaign(template: "order_updat"))
        let (error, file) = try singleError(text)
        let campaignLine = try #require(lines(startingWith: "kind: Campaign", in: text).first)
        let name = try #require(position(of: "name: order_updat", in: text, fromLine: campaignLine))
        #expect(error.message == "template \"order_updat\" is not declared")
        #expect(error.hint == "did you mean \"order_update\"?")
        #expect(error.location == BizOneModel.SourceLocation(file: file, line: name.line, column: name.column + 6))
    }

    @Test func aCampaignNamingAMissingLanguageListsTheDeclaredOnes() throws {
        let text = YAML.documents(YAML.integration, YAML.template(language: "id"), YAML.template(), YAML.audience(),
                                  YAML.schedule(), YAML.campaign(language: "en_GB"))
        let (error, file) = try singleError(text)
        let expected = try #require(position(of: "en_GB", in: text))
        #expect(error.message == "template \"order_update\" has no en_GB version")
        #expect(error.hint == "declared languages: en_US, id")
        #expect(error.location == BizOneModel.SourceLocation(file: file, line: expected.line, column: expected.column))
    }

    @Test func aCampaignNamingAnUndeclaredAudienceAndScheduleGetsTwoErrors() throws {
        let text = YAML.documents(YAML.integration, YAML.template(), YAML.audience("vip-members"), YAML.schedule(),
                                  YAML.campaign(audience: "vip-member", schedule: "daily"))
        let (result, file) = try loadOne(text)
        #expect(result.desired == nil)
        let audience = try #require(position(of: "audience: vip-member", in: text))
        let schedule = try #require(position(of: "schedule: daily", in: text))
        #expect(result.diagnostics == [
            .error("Audience \"vip-member\" is not declared",
                   at: BizOneModel.SourceLocation(file: file, line: audience.line, column: audience.column + 10),
                   hint: "did you mean \"vip-members\"?"),
            .error("Schedule \"daily\" is not declared",
                   at: BizOneModel.SourceLocation(file: file, line: schedule.line, column: schedule.column + 10),
                   hint: "declared: weekly"),
        ])
    }

    @Test func aUserNamingAnUndeclaredRoleListsTheDeclaredRoles() throws {
        let text = YAML.documents(YAML.role("admin"), YAML.role("agent"), YAML.user(roles: "[admin, editor]"))
        let (error, file) = try singleError(text)
        let expected = try #require(position(of: "editor]", in: text))
        #expect(error.message == "Role \"editor\" is not declared")
        #expect(error.hint == "declared: admin, agent")
        #expect(error.location == BizOneModel.SourceLocation(file: file, line: expected.line, column: expected.column))
    }

    @Test func aRouteNamingAnUndeclaredAgentAndTemplateGetsTwoErrors() throws {
        let route = """
        apiVersion: bizone/v1
        kind: WebhookRoute
        metadata:
          name: inbox
        spec:
          actions:
            - type: inbox
              agent: bob
            - type: autoReply
              template: {name: welcome, language: en_US}

        """
        let (result, _) = try loadOne(YAML.documents(YAML.integration, YAML.role(), YAML.user(), route))
        #expect(result.errors.map(\.message) == ["User \"bob\" is not declared", "template \"welcome\" is not declared"])
        #expect(result.errors.first?.hint == "declared: ana")
    }

    @Test func aTemplateWithoutAnyIntegrationIsAnError() throws {
        let (error, file) = try singleError(YAML.template())
        #expect(error.message == "Template needs an Integration, and none is declared")
        #expect(error.location == BizOneModel.SourceLocation(file: file, line: 6, column: 3))
    }

    @Test func anUndeclaredNamedIntegrationIsAnError() throws {
        let template = YAML.template().replacingOccurrences(of: "  language: en_US", with: "  integration: staging\n  language: en_US")
        let (error, _) = try singleError(YAML.documents(YAML.integration, template))
        #expect(error.message == "Integration \"staging\" is not declared")
        #expect(error.hint == "declared: main")
    }

    // MARK: No cascades

    @Test func aCampaignForABrokenTemplateReportsOnlyTheTemplate() throws {
        let broken = YAML.template().replacingOccurrences(of: "category: UTILITY", with: "category: utility")
        let text = YAML.documents(YAML.integration, broken, YAML.audience(), YAML.schedule(), YAML.campaign())
        let (error, _) = try singleError(text)
        #expect(error.message == "invalid value \"utility\" for spec.category")
    }

    @Test func aCampaignForABrokenAudienceAndScheduleReportsOnlyThose() throws {
        let audience = YAML.audience().replacingOccurrences(of: "\"+6281234567890\"", with: "\"0812\"")
        let schedule = YAML.schedule().replacingOccurrences(of: "Asia/Jakarta", with: "Asia/Jakart")
        let (result, _) = try loadOne(YAML.documents(YAML.integration, YAML.template(), audience, schedule, YAML.campaign()))
        #expect(result.errors.map(\.message) == ["invalid phone number \"0812\"", "unknown time zone \"Asia/Jakart\""])
    }

    @Test func aUserOfABrokenRoleReportsOnlyTheRole() throws {
        let role = YAML.role().replacingOccurrences(of: "permissions:", with: "permisions:")
        let (result, _) = try loadOne(YAML.documents(role, YAML.user()))
        #expect(result.errors.map(\.message) == ["unknown field \"permisions\" in spec", "missing required field \"permissions\" in spec"])
    }

    @Test func aTemplateOfABrokenIntegrationDoesNotAskForAnIntegration() throws {
        let integration = YAML.integration.replacingOccurrences(of: "\"5647382910\"", with: "\"56-47\"")
        let (result, _) = try loadOne(YAML.documents(integration, YAML.template()))
        #expect(result.errors.map(\.message) == ["expected digits only, found \"56-47\""])
    }

    // MARK: Campaign parameters

    @Test func missingAndExtraCampaignParametersAreErrors() throws {
        let text = YAML.documents(YAML.integration, YAML.template(), YAML.audience(), YAML.schedule(),
                                  YAML.campaign(parameters: "    first_name: \"{{contact.name}}\"\n    coupon: HEMAT30\n"))
        let (result, file) = try loadOne(text)
        #expect(result.desired == nil)
        try #require(result.errors.count == 2, "\(result.diagnostics)")
        let firstParameter = try #require(position(of: "first_name: \"{{contact", in: text))
        let coupon = try #require(position(of: "HEMAT30", in: text))
        #expect(result.errors[0].message == "parameter \"order_id\" of template en_US has no value")
        #expect(result.errors[0].hint == "add order_id: \"{{contact.name}}\" or a literal")
        #expect(result.errors[0].location == BizOneModel.SourceLocation(file: file, line: firstParameter.line, column: firstParameter.column))
        #expect(result.errors[1].message == "template has no parameter \"coupon\"")
        #expect(result.errors[1].hint == "parameters: first_name, order_id")
        #expect(result.errors[1].location == BizOneModel.SourceLocation(file: file, line: coupon.line, column: coupon.column))
    }

    @Test func anUnknownContactReferenceIsAnError() throws {
        let text = YAML.documents(YAML.integration, YAML.template(), YAML.audience(), YAML.schedule(),
                                  YAML.campaign(parameters: "    first_name: \"{{contact.nickname}}\"\n    order_id: X1\n"))
        let (error, _) = try singleError(text)
        #expect(error.message == "unknown value reference {{contact.nickname}}")
    }

    @Test func parametersForATemplateWithoutVariables() throws {
        let template = """
        apiVersion: bizone/v1
        kind: Template
        metadata:
          name: order_update
        spec:
          language: en_US
          category: UTILITY
          body:
            text: Your order has shipped.

        """
        let text = YAML.documents(YAML.integration, template, YAML.audience(), YAML.schedule(),
                                  YAML.campaign(parameters: "    first_name: Siti\n"))
        let (error, _) = try singleError(text)
        #expect(error.message == "template has no parameter \"first_name\"")
        #expect(error.hint == "this template takes no parameters")
    }
}
