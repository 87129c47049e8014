import BizOneModel
import Foundation
import MetaEmulator
import Testing
import TestSupport

@Suite("Limits")
struct LimitTests {
    /// On frozen time: one send a second means the first passes and the rest are refused with
    /// Retry-After 1, however long the sends take; once the clock moves a second, one more passes.
    @Test func throughputIs130429() async throws {
        let clock = ManualClock()
        try await Harness.run(limits: EmulatorLimits(messagesPerSecond: 1, pairInterval: 0), webhooks: false, clock: clock) { h in
            _ = try await h.approvedTemplate(name: "burst")
            var codes: [Int?] = []
            var retryAfter: [String?] = []
            for index in 0..<4 {
                let reply = try await h.sendTemplate(to: "+628123456780\(index)", name: "burst")
                codes.append(reply.errorCode)
                if reply.errorCode != nil { retryAfter.append(reply.headers["retry-after"]) }
            }
            #expect(codes == [nil, 130_429, 130_429, 130_429])
            #expect(retryAfter == ["1", "1", "1"])
            clock.advance(by: 1)
            #expect(try await h.sendTemplate(to: "+6281234567809", name: "burst").status == 200)
            let stats = await h.control.stats()
            #expect(stats.errors["130429"] == 3)
            #expect(stats.sendsAccepted == 2)
        }
    }

    @Test func pairLimitIs131056ForThatRecipientOnly() async throws {
        let clock = ManualClock()
        try await Harness.run(limits: EmulatorLimits(messagesPerSecond: 0, pairBurst: 2, pairInterval: 60), webhooks: false,
                              clock: clock) { h in
            _ = try await h.approvedTemplate(name: "pairs")
            #expect(try await h.sendTemplate(to: "+6281234567890", name: "pairs").status == 200)
            #expect(try await h.sendTemplate(to: "+6281234567890", name: "pairs").status == 200)
            let third = try await h.sendTemplate(to: "+6281234567890", name: "pairs")
            #expect(third.errorCode == 131_056)
            #expect(third.json["error"]?["is_transient"]?.bool == true)
            // Frozen time: the recipient's bucket has not refilled at all, so the wait is a full 60 s.
            #expect(third.headers["retry-after"] == "60")
            #expect(try await h.sendTemplate(to: "+6281234567899", name: "pairs").status == 200)
            #expect(await h.control.stats().errors["131056"] == 1)
            // Half way, the token is still 30 s away; at 60 s it is back.
            clock.advance(by: 30)
            let early = try await h.sendTemplate(to: "+6281234567890", name: "pairs")
            #expect(early.errorCode == 131_056)
            #expect(early.headers["retry-after"] == "30")
            clock.advance(by: 30)
            #expect(try await h.sendTemplate(to: "+6281234567890", name: "pairs").status == 200)
        }
    }
}
