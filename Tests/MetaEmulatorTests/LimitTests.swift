import BizOneModel
import Foundation
import MetaEmulator
import Testing

@Suite("Limits")
struct LimitTests {
    @Test func throughputIs130429() async throws {
        try await Harness.run(limits: EmulatorLimits(messagesPerSecond: 1, pairInterval: 0), webhooks: false) { h in
            _ = try await h.approvedTemplate(name: "burst")
            var codes: [Int?] = []
            var retryAfter: String?
            for index in 0..<4 {
                let reply = try await h.sendTemplate(to: "+628123456780\(index)", name: "burst")
                codes.append(reply.errorCode)
                if reply.errorCode != nil { retryAfter = reply.headers["retry-after"] }
            }
            #expect(codes.first == .some(nil))
            #expect(codes.contains(130_429))
            #expect(retryAfter == "1")
            let stats = await h.control.stats()
            #expect((stats.errors["130429"] ?? 0) >= 1)
            #expect(stats.sendsAccepted >= 1)
        }
    }

    @Test func pairLimitIs131056ForThatRecipientOnly() async throws {
        try await Harness.run(limits: EmulatorLimits(messagesPerSecond: 0, pairBurst: 2, pairInterval: 60), webhooks: false) { h in
            _ = try await h.approvedTemplate(name: "pairs")
            #expect(try await h.sendTemplate(to: "+6281234567890", name: "pairs").status == 200)
            #expect(try await h.sendTemplate(to: "+6281234567890", name: "pairs").status == 200)
            let third = try await h.sendTemplate(to: "+6281234567890", name: "pairs")
            #expect(third.errorCode == 131_056)
            #expect(third.json["error"]?["is_transient"]?.bool == true)
            // The recipient's bucket refills while the three sends run, so the wait is 60 s less
            // the time they took, rounded up.
            let retryAfter = third.headers["retry-after"].flatMap { Int($0) }
            #expect(retryAfter.map { (50...60).contains($0) } == true, "retry-after \(String(describing: retryAfter))")
            #expect(try await h.sendTemplate(to: "+6281234567899", name: "pairs").status == 200)
            #expect(await h.control.stats().errors["131056"] == 1)
        }
    }
}
