import BizOneModel
import Foundation
import Testing

@Suite("SLA evaluation")
struct SLAEvaluatorTests {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static func spec(first: String? = "5m", next: String? = nil, resolution: String? = nil, hours: SLASpec.BusinessHours? = nil,
                     teams: [String] = [], labels: [String] = []) -> SLASpec {
        SLASpec(description: nil, targets: .init(firstResponse: first, nextResponse: next, resolution: resolution), businessHours: hours,
                appliesTo: .init(teams: teams, labels: labels), escalation: nil)
    }

    static func facts(team: String? = "support", labels: [String] = [], firstReply: Date? = nil, awaiting: Date? = nil,
                      resolved: Bool = false) -> SLAConversationFacts {
        SLAConversationFacts(conversationID: 1, team: team, labels: labels, resolved: resolved, firstInboundAt: t0, firstReplyAt: firstReply,
                             awaitingSince: awaiting)
    }

    @Test("first response: breached at its due time, not before, not when answered in time")
    func firstResponse() {
        let evaluator = SLAEvaluator()
        let spec = Self.spec()
        #expect(evaluator.breaches(sla: "s", spec, Self.facts(), now: Self.t0 + 299).isEmpty)
        #expect(evaluator.breaches(sla: "s", spec, Self.facts(), now: Self.t0 + 300)
                == [SLABreach(conversationID: 1, sla: "s", target: .firstResponse, dueAt: Self.t0 + 300)])
        #expect(evaluator.breaches(sla: "s", spec, Self.facts(firstReply: Self.t0 + 200), now: Self.t0 + 900).isEmpty)
        // Answered late is still a breach.
        #expect(evaluator.breaches(sla: "s", spec, Self.facts(firstReply: Self.t0 + 400), now: Self.t0 + 900).count == 1)
    }

    @Test("next response and resolution")
    func nextAndResolution() {
        let evaluator = SLAEvaluator()
        let spec = Self.spec(first: nil, next: "10m", resolution: "1h")
        let waiting = Self.facts(firstReply: Self.t0 + 60, awaiting: Self.t0 + 120)
        #expect(evaluator.breaches(sla: "s", spec, waiting, now: Self.t0 + 719).isEmpty)
        #expect(evaluator.breaches(sla: "s", spec, waiting, now: Self.t0 + 720).map(\.target) == [.nextResponse])
        #expect(evaluator.breaches(sla: "s", spec, waiting, now: Self.t0 + 3600).map(\.target) == [.nextResponse, .resolution])
        #expect(evaluator.breaches(sla: "s", spec, Self.facts(firstReply: Self.t0 + 60, resolved: true), now: Self.t0 + 7200).isEmpty)
    }

    @Test("coverage: every non-empty list must match")
    func coverage() {
        let evaluator = SLAEvaluator()
        #expect(evaluator.covers(Self.spec(teams: ["support"]), Self.facts()))
        #expect(!evaluator.covers(Self.spec(teams: ["sales"]), Self.facts()))
        #expect(!evaluator.covers(Self.spec(teams: ["support"], labels: ["vip"]), Self.facts()))
        #expect(evaluator.covers(Self.spec(teams: ["support"], labels: ["vip"]), Self.facts(labels: ["vip", "x"])))
        #expect(!evaluator.covers(Self.spec(teams: ["support"]), Self.facts(team: nil)))
        var byRoute = Self.spec()
        byRoute.appliesTo.routes = ["support-inbox"]
        var routed = Self.facts()
        #expect(!evaluator.covers(byRoute, routed))
        routed.route = "support-inbox"
        #expect(evaluator.covers(byRoute, routed))
    }

    @Test("business hours stop the clock: Friday 16:55 plus 10 minutes is Monday 08:05 in Jakarta")
    func businessHours() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Asia/Jakarta"))
        // Friday 2026-12-04 16:55 local.
        let friday = try #require(calendar.date(from: DateComponents(year: 2026, month: 12, day: 4, hour: 16, minute: 55)))
        let hours = SLASpec.BusinessHours(timezone: "Asia/Jakarta", days: ["mon", "tue", "wed", "thu", "fri"], start: "08:00", end: "17:00")
        let due = try #require(SLAEvaluator().dueDate(from: friday, seconds: 600, Self.spec(hours: hours)))
        #expect(due == calendar.date(from: DateComponents(year: 2026, month: 12, day: 7, hour: 8, minute: 5)))
        // Saturday night counts from Monday's opening.
        let saturday = try #require(calendar.date(from: DateComponents(year: 2026, month: 12, day: 5, hour: 22)))
        let fromWeekend = try #require(SLAEvaluator().dueDate(from: saturday, seconds: 3600, Self.spec(hours: hours)))
        #expect(fromWeekend == calendar.date(from: DateComponents(year: 2026, month: 12, day: 7, hour: 9)))
        // No working day at all: never placed.
        let never = SLASpec.BusinessHours(timezone: "UTC", days: [], start: "08:00", end: "17:00")
        #expect(SLAEvaluator().dueDate(from: Self.t0, seconds: 60, Self.spec(hours: never)) == nil)
    }
}
