import Testing

@testable import TernRateLimit

@Suite("Rate limit notation")
struct RateLimitNotationTests {
    @Test(
        "the notation of slowapi and limits",
        arguments: [
            ("5/minute", [RateLimit(5, per: .seconds(60))]),
            ("100 per hour", [RateLimit(100, per: .seconds(3600))]),
            ("10/15 minutes", [RateLimit(10, per: .seconds(900))]),
            ("2/Second; 600/MINUTE", [RateLimit(2, per: .seconds(1)), RateLimit(600, per: .seconds(60))]),
            (
                "1/day,3/month|4/year",
                [RateLimit(1, per: .seconds(86_400)), RateLimit(3, per: .seconds(2_592_000)), RateLimit(4, per: .seconds(31_104_000))]
            ),
        ])
    func parses(text: String, expected: [RateLimit]) {
        #expect(RateLimit.parseList(text) == expected)
    }

    @Test(
        "anything else is refused",
        arguments: ["", "5", "five/minute", "0/minute", "5/fortnight", "5/0 minutes", "5/minute;", "-1/hour", "2000000/second"])
    func refuses(text: String) {
        #expect(RateLimit.parseList(text) == nil)
    }
}

@Suite("GCRA and the in-process limiter")
struct InProcessRateLimiterTests {
    private let second: Int64 = 1_000_000

    @Test("N pass at once, then one every period/N; the headers' figures follow")
    func burstThenSteady() {
        let limiter = InProcessRateLimiter()
        let limit = [RateLimit(5, per: .seconds(60))]
        let remaining = (0..<5).map { _ in limiter.decide("ip", under: limit, now: 0).states[0].remaining }
        #expect(remaining == [4, 3, 2, 1, 0])
        let refused = limiter.decide("ip", under: limit, now: 0)
        #expect(!refused.admitted)
        #expect(refused.retryAfter == .seconds(12))
        #expect(refused.states[0].resetAfter == .seconds(60))
        #expect(!limiter.decide("ip", under: limit, now: 12 * second - 1).admitted)
        #expect(limiter.decide("ip", under: limit, now: 12 * second).admitted)
        #expect(limiter.decide("other", under: limit, now: 12 * second).states[0].remaining == 4)
    }

    @Test("several limits are one decision: a refusal by one uses none of the others up")
    func severalLimits() {
        let limiter = InProcessRateLimiter()
        let limits = [RateLimit(2, per: .seconds(1)), RateLimit(3, per: .seconds(60))]
        #expect(limiter.decide("k", under: limits, now: 0).admitted)
        #expect(limiter.decide("k", under: limits, now: 0).admitted)
        let burst = limiter.decide("k", under: limits, now: 0)
        #expect(!burst.admitted)
        #expect(burst.states.map(\.remaining) == [0, 1])
        // The refused third event did not count against the minute: one more passes once the second allows.
        #expect(limiter.decide("k", under: limits, now: second).admitted)
        let minute = limiter.decide("k", under: limits, now: 2 * second)
        #expect(!minute.admitted)
        #expect(minute.retryAfter == .seconds(18))
    }

    @Test("exact under concurrency: 200 tasks at once, 50 admitted")
    func concurrent() async throws {
        let limiter = InProcessRateLimiter()
        let limit = [RateLimit(50, per: .seconds(3600))]
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 { group.addTask { try await limiter.admit("shared", under: limit).admitted } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 50)
    }

    @Test("keys whose limits are fully available again are swept")
    func sweep() {
        let limiter = InProcessRateLimiter(sweepInterval: 3)
        let limit = [RateLimit(1, per: .seconds(1))]
        _ = limiter.decide("a", under: limit, now: 0)
        _ = limiter.decide("b", under: limit, now: 0)
        #expect(limiter.keyCount == 2)
        _ = limiter.decide("c", under: limit, now: 5 * second)
        #expect(limiter.keyCount == 1)
    }
}
