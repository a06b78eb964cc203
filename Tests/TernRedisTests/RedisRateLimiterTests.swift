import Foundation
import Logging
import TernRateLimit
import TestSupport
import Testing

@testable import TernRedis

@Suite("The Redis rate limiter", .timeLimit(.minutes(1)))
struct RedisRateLimiterTests {
    private func client() throws -> RedisClient {
        RedisClient(configuration: try RedisConfiguration(url: try RedisTestServer.sharedURL()), logger: Logger(label: "test"))
    }

    @Test("exact under concurrency: 200 events at once from two clients (two processes' worth), 50 admitted")
    func exactUnderConcurrency() async throws {
        let (first, second) = (try client(), try client())
        defer {
            first.close()
            second.close()
        }
        let limiters = [RedisRateLimiter(redis: first), RedisRateLimiter(redis: second)]
        let key = "test:\(UUID().uuidString)"
        let limits = [RateLimit(50, per: .seconds(60))]
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                group.addTask { try await limiters[index % 2].admit(key, under: limits).admitted }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 50)
    }

    @Test("events of different kinds sharing a key, decided in one batch: each answer is the script's")
    func mixedBatch() async throws {
        let redis = try client()
        defer { redis.close() }
        let limiter = RedisRateLimiter(redis: redis)
        let (shared, tight) = ("test:\(UUID().uuidString)", "test:\(UUID().uuidString)")
        // Per hour: nothing frees while the test runs, however slowly.
        let sharedLimits = [RateLimit(30, per: .seconds(3600))]
        let tightLimits = [RateLimit(10, per: .seconds(3600))]
        // Half count the shared key alone, half the shared key and a tight one; a tenth only look.
        let decisions = try await withThrowingTaskGroup(of: (recording: Bool, decisions: [RateLimitDecision]).self) { group in
            for index in 0..<100 {
                let counts =
                    index % 2 == 0
                    ? [RateLimitCount(shared, sharedLimits)] : [RateLimitCount(shared, sharedLimits), RateLimitCount(tight, tightLimits)]
                let recording = index % 10 != 9
                group.addTask { (recording, try await limiter.decide(counts, recording: recording)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let admitted = decisions.filter { $0.recording && $0.decisions.allSatisfy(\.admitted) }.map(\.decisions)
        // Exactly the shared key's 30 were taken, each by an event that saw a different number left:
        // the answers replayed here are the decisions the script made, in its order.
        #expect(admitted.map { $0[0].states[0].remaining }.sorted() == Array(0..<30))
        let tightTaken = admitted.filter { $0.count == 2 }.map { $0[1].states[0].remaining }
        #expect(tightTaken.sorted() == Array((10 - tightTaken.count)..<10))
        #expect(try await !limiter.check(shared, under: sharedLimits).admitted)
        // A look answers what would be left after one more.
        #expect(try await limiter.check(tight, under: tightLimits).states[0].remaining == max(0, 10 - tightTaken.count - 1))
    }

    @Test("burst and sustained limits together; a refused event uses none up; looking records nothing")
    func severalLimits() async throws {
        let redis = try client()
        defer { redis.close() }
        let limiter = RedisRateLimiter(redis: redis)
        let key = "test:\(UUID().uuidString)"
        // Windows long enough that the test's own pace cannot free anything.
        let limits = try #require(RateLimit.parseList("2/minute;3/hour"))
        #expect(try await limiter.check(key, under: limits).states.map(\.remaining) == [1, 2])
        let first = try await limiter.admit(key, under: limits)
        #expect(first.admitted && first.states.map(\.remaining) == [1, 2])
        let second = try await limiter.admit(key, under: limits)
        #expect(second.admitted && second.states.map(\.remaining) == [0, 1])
        let refused = try await limiter.admit(key, under: limits)
        #expect(!refused.admitted)
        #expect(refused.retryAfter > .seconds(20) && refused.retryAfter <= .seconds(30), "one of two per minute frees every 30 s")
        // The refused event used none of the hour's three: one is still there.
        let looked = try await limiter.check(key, under: limits)
        #expect(!looked.admitted && looked.states[1].remaining == 1)
    }

    @Test("an event counted under several keys: refused by one, it is recorded under none")
    func severalKeys() async throws {
        let redis = try client()
        defer { redis.close() }
        let limiter = RedisRateLimiter(redis: redis)
        let (ip, account) = ("test:\(UUID().uuidString)", "test:\(UUID().uuidString)")
        let perIP = [RateLimit(5, per: .seconds(60))]
        let perAccount = [RateLimit(1, per: .seconds(60))]
        let first = try await limiter.decide([RateLimitCount(ip, perIP), RateLimitCount(account, perAccount)], recording: true)
        #expect(first.map(\.admitted) == [true, true])
        #expect(first.map { $0.states[0].remaining } == [4, 0])
        let second = try await limiter.decide([RateLimitCount(ip, perIP), RateLimitCount(account, perAccount)], recording: true)
        #expect(second.map(\.admitted) == [false, false])
        #expect(
            try await limiter.check(ip, under: perIP).states[0].remaining == 3,
            "one used, the refused one not: three would be left after a third")
    }

    @Test("its keys expire once the limit is fully available again")
    func keysExpire() async throws {
        let redis = try client()
        defer { redis.close() }
        let key = "test:\(UUID().uuidString)"
        _ = try await RedisRateLimiter(redis: redis, prefix: "rl:").admit(key, under: [RateLimit(10, per: .seconds(3600))])
        let ttl = try await redis.send("PTTL", .string("rl:\(key)|10/3600000000")).integer
        // Bounds wide enough for a loaded machine to stall between the two commands.
        #expect(ttl.map { (300_000...360_000).contains($0) } == true, "one event of 10/hour uses 6 minutes")
    }

    @Test("Redis unreachable: the limiter throws, so the caller chooses to fail open or closed")
    func unreachable() async throws {
        let redis = RedisClient(configuration: try RedisConfiguration(url: "redis://127.0.0.1:1/0"), logger: Logger(label: "test"))
        defer { redis.close() }
        await #expect(throws: RedisError.self) {
            try await RedisRateLimiter(redis: redis).admit("k", under: [RateLimit(1, per: .seconds(1))])
        }
    }
}
