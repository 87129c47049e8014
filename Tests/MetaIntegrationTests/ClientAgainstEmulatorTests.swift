import BizOneModel
import Foundation
import MetaEmulator
import MetaGraph
import Testing
import TestSupport

@Suite("live client against the emulator")
struct ClientAgainstEmulatorTests {
    @Test func everyEndpointRoundTrips() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let client = harness.client

        let created = try await client.createTemplate(CreateTemplateRequest(
            name: "order_update", language: "en_US", category: "UTILITY", parameterFormat: "named",
            components: [TemplateComponent(type: "BODY", text: "Hi {{first_name}}, order {{order_id}} ships today.",
                                           example: ComponentExample(bodyTextNamedParams: [
                                               NamedParameterExample(paramName: "first_name", example: "Siti"),
                                               NamedParameterExample(paramName: "order_id", example: "A-1")]))]))
        #expect(created.status == "PENDING")
        #expect(created.category == "UTILITY")
        try await harness.waitForApproval(created.id)

        let fetched = try await client.template(id: created.id, fields: nil)
        #expect(fetched.name == "order_update")
        #expect(fetched.parameterFormat?.uppercased() == "NAMED")
        #expect(fetched.components?.first?.type == "BODY")

        let listed = try await client.allTemplates()
        #expect(listed.map(\.id) == [created.id])

        try await client.editTemplate(id: created.id, EditTemplateRequest(components: [
            TemplateComponent(type: "BODY", text: "Hello {{first_name}}, order {{order_id}} is on its way.",
                              example: ComponentExample(bodyTextNamedParams: [
                                  NamedParameterExample(paramName: "first_name", example: "Siti"),
                                  NamedParameterExample(paramName: "order_id", example: "A-1")]))]))
        try await harness.waitForApproval(created.id)
        #expect(try await client.template(id: created.id, fields: nil).components?.first?.text?.hasPrefix("Hello") == true)

        let sent = try await client.send(.template(
            to: "+6281234567890", name: "order_update", language: "en_US",
            components: [SendComponent(type: "body", parameters: [.text("Siti", name: "first_name"), .text("A-1", name: "order_id")])],
            callbackData: "run-1"))
        let wamid = try #require(sent.messageID)
        #expect(wamid.hasPrefix("wamid."))
        #expect(sent.contacts.first?.waID == "6281234567890")

        _ = try await harness.emulator.control.inbound(InboundRequest(from: "+6281234567890", name: "Siti", text: "thanks!"))
        let text = try await client.send(.text(to: "+6281234567890", body: "You're welcome"))
        #expect(text.messageID != nil)
        try await client.markRead(messageID: wamid)

        let phone = try await client.phoneNumber(fields: ["display_phone_number", "verified_name", "quality_rating", "throughput"])
        #expect(phone.id == harness.emulator.configuration.phoneNumberID)
        #expect(phone.throughput?.level != nil)

        let second = try await harness.approvedTemplate("order_update", language: "id", body: "Halo {{1}}, pesanan dikirim hari ini.")
        try await client.deleteTemplate(name: "order_update", id: second)
        #expect(try await client.allTemplates().map(\.id) == [created.id], "deleting by id leaves the other language")
        try await client.deleteTemplate(name: "order_update", id: nil)
        #expect(try await client.allTemplates().isEmpty)
    }

    @Test func pagingFollowsThreePagesAndTheTokenInNextLinksIsNeverLogged() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        for index in 0..<5 { _ = try await harness.approvedTemplate("paged_\(index)") }
        let before = await harness.emulator.control.requests().filter { $0.path.hasSuffix("/message_templates") && $0.method == "GET" }.count

        let all = try await harness.client.allTemplates(TemplateQuery(fields: ["id", "name"], limit: 2))
        #expect(Set(all.compactMap(\.name)) == Set((0..<5).map { "paged_\($0)" }))
        let lists = await harness.emulator.control.requests().filter { $0.path.hasSuffix("/message_templates") && $0.method == "GET" }
        #expect(lists.count - before == 3, "three pages of 2, 2 and 1")

        let first = try await harness.client.listTemplates(TemplateQuery(limit: 2))
        let next = try #require(first.paging?.next)
        #expect(next.contains("access_token="), "the emulator's next link carries the token, as Meta's does")
        #expect(!harness.logs.all.isEmpty)
        #expect(!harness.logs.all.contains { $0.contains(Harness.token) })
    }

    @Test func aWrongTokenIsATerminalAuthErrorAndIsNotEchoed() async throws {
        let wrong = "wrong-token-\(UUID().uuidString)"
        let harness = try await Harness.start(token: wrong)
        defer { Task { await harness.stop() } }
        do {
            _ = try await harness.client.phoneNumber(fields: nil)
            Issue.record("expected an auth error")
        } catch let error as GraphError {
            #expect(error.code == 190)
            #expect(error.httpStatus == 401)
            #expect(error.retryability == .terminal)
            #expect(!error.description.contains(wrong))
            #expect(!"\(error)".contains(wrong))
        }
        let requests = await harness.emulator.control.requests()
        #expect(requests.count == 1, "terminal errors are not retried")
        #expect(!harness.logs.all.contains { $0.contains(wrong) })
        #expect(!requests.contains { $0.query.contains(wrong) })
    }

    @Test func validationErrorsCarryMetasSubcodeAndAreNotRetried() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        do {
            _ = try await harness.client.createTemplate(CreateTemplateRequest(
                name: "dangling", language: "en_US", category: "UTILITY",
                components: [TemplateComponent(type: "BODY", text: "{{1}} is your code",
                                               example: ComponentExample(bodyText: [["123"]]))]))
            Issue.record("expected a validation error")
        } catch let error as GraphError {
            #expect(error.code == 100)
            #expect(error.subcode == 2_388_299)
            #expect(error.retryability == .terminal)
            #expect(error.traceID != nil)
        }
        #expect(await harness.emulator.control.requests().count == 1)
    }

    @Test func aRateLimitIsRetriedThenSucceeds() async throws {
        // The emulator allows 1 send a second; six sends go out at once and the client does not
        // pace itself, so some hit 130429 and must back off (Retry-After) and retry until accepted.
        // On manual time the six reach the emulator at the same instant: one passes, five are
        // refused, and time moves only while they wait.
        let harness = try await Harness.start(limits: EmulatorLimits(messagesPerSecond: 1, pairInterval: 0),
                                              retry: RetryPolicy(maxAttempts: 30, baseDelay: 0.05, maxDelay: 1, maxElapsed: 60),
                                              manualTime: true)
        defer { Task { await harness.stop() } }
        _ = try await harness.approvedTemplate("rate_limited")
        try await harness.concurrently(6) { index in
            let sent = try await harness.client.send(.template(
                to: "+62812345678\(index)0", name: "rate_limited", language: "en_US",
                components: [SendComponent(type: "body", parameters: [.text("Siti")])]))
            #expect(sent.messageID != nil)
        }
        let sends = await harness.emulator.control.requests().filter { $0.path.hasSuffix("/messages") }
        #expect(sends.filter { $0.errorCode == 130_429 }.count >= 5, "the limit was hit by all but the first")
        #expect(sends.filter { $0.status == 200 }.count == 6, "and every send got through in the end")
    }

    @Test func aTerminalSendFailureIsReportedOnce() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        do {
            _ = try await harness.client.send(.template(to: "+6281234567890", name: "no_such_template", language: "en_US"))
            Issue.record("expected 132001")
        } catch let error as GraphError {
            #expect(error.code == 132_001)
            #expect(error.retryability == .terminal)
            #expect(error.outcomeUnknown == false)
        }
        #expect(await harness.emulator.control.requests().filter { $0.path.hasSuffix("/messages") }.count == 1)
    }

    /// Pacing, not timing: at the emulator's own limit the client's token bucket never trips
    /// 130429. On manual time, so a slow loopback cannot bunch the paced requests up.
    @Test func clientPacingStaysUnderTheEmulatorsThroughputLimit() async throws {
        let harness = try await Harness.start(limits: EmulatorLimits(messagesPerSecond: 100, pairInterval: 0), clientRate: 100,
                                              retry: .none, manualTime: true)
        defer { Task { await harness.stop() } }
        _ = try await harness.approvedTemplate("paced")
        try await harness.concurrently(150) { index in
            _ = try await harness.client.send(.template(to: "+628123\(String(format: "%06d", index))", name: "paced", language: "en_US",
                                                        components: [SendComponent(type: "body", parameters: [.text("Siti")])]))
        }
        let stats = await harness.emulator.control.stats()
        #expect(stats.sendsAccepted == 150)
        #expect(stats.errors["130429"] == nil)
    }
}
