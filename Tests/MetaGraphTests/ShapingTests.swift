import Foundation
import Testing
@testable import MetaGraph

/// Send pacing on virtual time (reference §18.1, §18.2).
@Suite struct TokenBucketTests {
    @Test(arguments: [(80.0, 100), (80.0, 8), (80.0, 9), (10.0, 25), (1.0, 5), (25.0, 40), (1000.0, 1000)])
    func acquisitionsTakeTheExpectedVirtualTime(_ rate: Double, _ count: Int) async throws {
        let clock = VirtualClock()
        let bucket = TokenBucket(rate: rate, clock: clock.graphClock)
        let burst = max(1, rate / 10)
        #expect(bucket.burst == burst)
        for _ in 0..<count { try await bucket.acquire() }
        let expected = max(0, Double(count) - burst) / rate
        #expect(abs(clock.now - expected) < 1e-9, "rate \(rate), \(count) acquisitions: \(clock.now) s, expected \(expected) s")
    }

    @Test func burstIsAtLeastOne() {
        #expect(TokenBucket(rate: 2).burst == 1)
        #expect(TokenBucket(rate: 80).burst == 8)
        #expect(TokenBucket(rate: 10, burst: 3).burst == 3)
    }

    @Test func idleTimeRefillsUpToTheBurstOnly() async throws {
        let clock = VirtualClock()
        let bucket = TokenBucket(rate: 10, burst: 2, clock: clock.graphClock)
        try await bucket.acquire()
        try await bucket.acquire()
        #expect(await bucket.tryAcquire() == false)
        clock.advance(60) // a long pause saves up only `burst` tokens
        try await bucket.acquire()
        try await bucket.acquire()
        #expect(clock.sleeps.isEmpty)
        try await bucket.acquire()
        #expect(clock.sleeps.count == 1)
        #expect(abs(clock.sleeps[0] - 0.1) < 1e-9)
    }

    @Test func currentDelay() async throws {
        let clock = VirtualClock()
        let bucket = TokenBucket(rate: 4, burst: 1, clock: clock.graphClock)
        #expect(await bucket.currentDelay() == 0)
        try await bucket.acquire()
        #expect(abs(await bucket.currentDelay() - 0.25) < 1e-9)
    }

    @Test func concurrentCallersAreSpacedByTheRate() async throws {
        let clock = VirtualClock(advancesOnSleep: false) // all callers arrive at the same instant
        let bucket = TokenBucket(rate: 5, burst: 1, clock: clock.graphClock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 { group.addTask { try await bucket.acquire() } }
            try await group.waitForAll()
        }
        // Each waiter reserved its own slot: 1 free, then 0.2, 0.4, ... 1.0 s (in some order).
        #expect(clock.sleeps.count == 5)
        let expected = [0.2, 0.4, 0.6, 0.8, 1.0]
        for (slept, wanted) in zip(clock.sleeps.sorted(), expected) { #expect(abs(slept - wanted) < 1e-9) }
    }

    @Test func unlimitedRateNeverWaits() async throws {
        let clock = VirtualClock()
        let bucket = TokenBucket(rate: 0, clock: clock.graphClock)
        for _ in 0..<1000 { try await bucket.acquire() }
        #expect(clock.sleeps.isEmpty)
    }
}

@Suite struct PairLimiterTests {
    @Test func spacesASecondBurstForOneRecipientButNotOthers() async throws {
        let clock = VirtualClock()
        let limiter = PairLimiter(limit: PairLimit(burst: 3, interval: 6), clock: clock.graphClock)
        for _ in 0..<3 { try await limiter.acquire(for: "+6281234567890") }
        #expect(clock.sleeps.isEmpty)
        // Other recipients are unaffected.
        for recipient in ["+16505551234", "+447700900123", "US.13491208655302741918"] {
            try await limiter.acquire(for: recipient)
        }
        #expect(clock.sleeps.isEmpty)
        // The second burst to the first recipient is paid back at one per interval.
        try await limiter.acquire(for: "6281234567890")
        try await limiter.acquire(for: "+62 812-3456-7890")
        #expect(clock.sleeps == [6, 6])
        #expect(clock.now == 12)
        // Still free for others.
        try await limiter.acquire(for: "+16505551234")
        #expect(clock.sleeps == [6, 6])
    }

    @Test func defaultLimitIsMetasPairLimit() {
        let limit = PairLimiter().limit
        #expect(limit.burst == 45)
        #expect(limit.interval == 6)
    }

    @Test func budgetRefillsOverTime() async throws {
        let clock = VirtualClock()
        let limiter = PairLimiter(limit: PairLimit(burst: 2, interval: 6), clock: clock.graphClock)
        try await limiter.acquire(for: "a")
        try await limiter.acquire(for: "a")
        #expect(await limiter.currentDelay(for: "a") == 6)
        clock.advance(6)
        #expect(await limiter.currentDelay(for: "a") == 0)
        try await limiter.acquire(for: "a")
        #expect(clock.sleeps.isEmpty)
        #expect(await limiter.currentDelay(for: "b") == 0)
    }

    @Test(arguments: [("+62 812-3456-7890", "6281234567890"), ("(650) 555-1234", "6505551234"),
                      ("US.13491208655302741918", "US.13491208655302741918"), ("user.9373ab", "user.9373ab")])
    func recipientKeys(_ recipient: String, _ key: String) {
        #expect(PairLimiter.key(recipient) == key)
    }
}
