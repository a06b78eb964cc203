import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import TernCache
@testable import TernRedis

/// A value whose bytes are its number in decimal.
private struct Number: CacheValue, Equatable {
    let value: Int
    func cacheEncoded() -> [UInt8] { Array(String(value).utf8) }
    init(_ value: Int) { self.value = value }
    init?(cacheEncoded bytes: [UInt8]) {
        guard let value = Int(String(decoding: bytes, as: UTF8.self)) else { return nil }
        self.value = value
    }
}

/// How many times a ``Decoded`` was read from bytes.
private let decodings = Atomic<Int>(0)

/// A value that counts how often it is read from bytes; only the decoding test uses it.
private struct Decoded: CacheValue, Equatable {
    let value: Int
    func cacheEncoded() -> [UInt8] { Array(String(value).utf8) }
    init(_ value: Int) { self.value = value }
    init?(cacheEncoded bytes: [UInt8]) {
        decodings.add(1, ordering: .relaxed)
        guard let value = Int(String(decoding: bytes, as: UTF8.self)) else { return nil }
        self.value = value
    }
}

/// Counts computations.
private final class Computations: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func compute(_ result: Int?, taking duration: Duration = .zero) async throws -> Number? {
        count.add(1, ordering: .relaxed)
        if duration > .zero { try await Task.sleep(for: duration) }
        return result.map(Number.init)
    }
}

enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case inProcess, redis
    var testDescription: String { rawValue }
}

/// Timing far beyond anything a test waits for: a loaded CI machine can stall a test for seconds, and
/// the tests check what happens, not how fast (that is for benchmarks).
private let patient: Cache.Timing = {
    var timing = Cache.Timing()
    timing.lockLifetime = .seconds(600)
    timing.waitLimit = .seconds(50)
    timing.absentLifetime = .seconds(600)
    return timing
}()

/// Caches on one store: two for Redis (two processes' worth, each with its own client), or one in-process.
private func caches(_ kind: StoreKind, count: Int = 1) throws -> (caches: [Cache], close: () -> Void) {
    let logger = Logger(label: "test")
    let prefix = "test:\(UUID().uuidString):"
    switch kind {
    case .inProcess:
        let store = InProcessCacheStore()
        return ((0..<count).map { _ in Cache(store: store, prefix: prefix, timing: patient, logger: logger) }, {})
    case .redis:
        let clients = try (0..<count).map { _ in
            RedisClient(configuration: try RedisConfiguration(url: try RedisTestServer.sharedURL()), logger: logger)
        }
        return (
            clients.map { Cache(store: RedisCacheStore(redis: $0), prefix: prefix, timing: patient, logger: logger) },
            { for client in clients { client.close() } }
        )
    }
}

// Three minutes: alone, the suite takes seconds; in the full run its outage test takes about 50 s (the
// kills and restarts wait their turn with everything else running at once), and went past a minute
// on a loaded CI machine.
@Suite("Cache-aside", .timeLimit(.minutes(3)))
struct CacheTests {
    @Test("a hit computes nothing; finding nothing is kept too", arguments: StoreKind.allCases)
    func hit(kind: StoreKind) async throws {
        let (caches, close) = try caches(kind)
        defer { close() }
        let computations = Computations()
        #expect(try await caches[0].value(for: "k", lifetime: .seconds(60)) { try await computations.compute(7) } == Number(7))
        #expect(try await caches[0].value(for: "k", lifetime: .seconds(60)) { try await computations.compute(8) } == Number(7))
        #expect(computations.value == 1)
        #expect(try await caches[0].value(for: "none", lifetime: .seconds(60)) { try await computations.compute(nil) } == nil)
        #expect(try await caches[0].value(for: "none", lifetime: .seconds(60)) { try await computations.compute(nil) } == nil)
        #expect(computations.value == 2)
    }

    @Test("a computation that read before an invalidation does not store what it read", arguments: StoreKind.allCases)
    func invalidationDuringComputation(kind: StoreKind) async throws {
        let (caches, close) = try caches(kind, count: 2)
        defer { close() }
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        async let old = caches[0].value(for: "k", lifetime: .seconds(60)) { () async throws -> Number? in
            startedContinuation.yield()
            for await _ in release { break }
            return Number(1)  // what the rows said before the change
        }
        for await _ in started { break }
        await caches[1].invalidate(["k"])  // the change committed
        releaseContinuation.yield()
        #expect(try await old == Number(1))
        #expect(try await caches[0].value(for: "k", lifetime: .seconds(60)) { Number(2) } == Number(2))
        #expect(try await caches[1].value(for: "k", lifetime: .seconds(60)) { Number(3) } == Number(2))
    }

    @Test("a lifetime of zero keeps nothing")
    func zeroLifetime() async throws {
        let (caches, close) = try caches(.inProcess)
        defer { close() }
        let computations = Computations()
        for _ in 0..<3 { _ = try await caches[0].value(for: "k", lifetime: .zero) { try await computations.compute(1) } }
        #expect(computations.value == 3)
    }

    @Test("invalidation: the next read computes again", arguments: StoreKind.allCases)
    func invalidation(kind: StoreKind) async throws {
        let (caches, close) = try caches(kind, count: 2)
        defer { close() }
        _ = try await caches[0].value(for: "k", lifetime: .seconds(60)) { Number(1) }
        await caches[1].invalidate(["k"])
        #expect(try await caches[0].value(for: "k", lifetime: .seconds(60)) { Number(2) } == Number(2))
    }

    @Test("stampede: 100 concurrent misses over two processes' caches compute once", arguments: StoreKind.allCases)
    func stampede(kind: StoreKind) async throws {
        let (caches, close) = try caches(kind, count: 2)
        defer { close() }
        let computations = Computations()
        let values = try await withThrowingTaskGroup(of: Number?.self) { group in
            for index in 0..<100 {
                group.addTask {
                    try await caches[index % 2].value(for: "hot", lifetime: .seconds(60)) {
                        try await computations.compute(42, taking: .milliseconds(100))
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values.count == 100 && values.allSatisfy { $0 == Number(42) })
        #expect(computations.value == 1)
    }

    @Test("an expired value is served while another process recomputes it", arguments: StoreKind.allCases)
    func staleWhileRecomputing(kind: StoreKind) async throws {
        let store: any CacheStore
        var closeClient: () -> Void = {}
        switch kind {
        case .inProcess:
            store = InProcessCacheStore()
        case .redis:
            let client = RedisClient(
                configuration: try RedisConfiguration(url: try RedisTestServer.sharedURL()), logger: Logger(label: "test"))
            store = RedisCacheStore(redis: client)
            closeClient = { client.close() }
        }
        defer { closeClient() }
        let prefix = "test:\(UUID().uuidString):"
        let cache = Cache(store: store, prefix: prefix, timing: patient, logger: Logger(label: "test"))
        // An entry past its freshness, still held for those who cannot recompute it.
        let expired = CacheEntry(value: Number(1).cacheEncoded(), freshFor: .seconds(-1))
        try await store.write(prefix + "k", expired.bytes, lifetime: .seconds(60), ifGeneration: nil)
        // Another process holds the recomputation (for long enough that a stalled test run cannot outlive it).
        #expect(try await store.lock(prefix + "k:lock", token: "other", lifetime: .seconds(600)))
        let computations = Computations()
        #expect(try await cache.value(for: "k", lifetime: .seconds(60)) { try await computations.compute(2) } == Number(1))
        #expect(computations.value == 0)
    }

    @Test("a hit with the bytes read last time is not decoded again; a changed entry is")
    func decodedOnce() async throws {
        let store = InProcessCacheStore()
        let cache = Cache(store: store, prefix: "", timing: patient, logger: Logger(label: "test"))
        #expect(try await cache.value(for: "k", lifetime: .seconds(60)) { Decoded(1) } == Decoded(1))
        let afterFirst = decodings.load(ordering: .relaxed)
        for _ in 0..<3 { #expect(try await cache.value(for: "k", lifetime: .seconds(60)) { Decoded(9) } == Decoded(1)) }
        #expect(decodings.load(ordering: .relaxed) == afterFirst)
        // Another process stored a new value: it is read, from its bytes.
        try await store.write(
            "k", CacheEntry(value: Decoded(2).cacheEncoded(), freshFor: .seconds(60)).bytes, lifetime: .seconds(60), ifGeneration: nil)
        #expect(try await cache.value(for: "k", lifetime: .seconds(60)) { Decoded(9) } == Decoded(2))
        #expect(decodings.load(ordering: .relaxed) == afterFirst + 1)
    }

    @Test("an entry the type cannot read is replaced")
    func unreadableEntry() async throws {
        let store = InProcessCacheStore()
        let cache = Cache(store: store, prefix: "", logger: Logger(label: "test"))
        let entry = CacheEntry(value: Array("not a number".utf8), freshFor: .seconds(60))
        try await store.write("k", entry.bytes, lifetime: .seconds(60), ifGeneration: nil)
        #expect(try await cache.value(for: "k", lifetime: .seconds(60)) { Number(5) } == Number(5))
    }

    @Test("Redis down: every read computes, nothing throws; once it is back, values are kept again")
    func outage() async throws {
        try await RedisTestServer.with { server in
            let client = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: Logger(label: "test"))
            defer { client.close() }
            let cache = Cache(store: RedisCacheStore(redis: client), logger: Logger(label: "test"))
            let computations = Computations()
            _ = try await cache.value(for: "k", lifetime: .seconds(60)) { try await computations.compute(1) }
            try await server.kill()
            for _ in 0..<3 {
                #expect(try await cache.value(for: "k", lifetime: .seconds(60)) { try await computations.compute(2) } == Number(2))
            }
            await cache.invalidate(["k"])  // logged, not thrown
            #expect(computations.value == 4)
            try await server.restart()
            var kept = false
            for _ in 0..<50 where !kept {
                try await Task.sleep(for: .milliseconds(100))
                _ = try await cache.value(for: "k", lifetime: .seconds(60)) { try await computations.compute(3) }
                let before = computations.value
                _ = try await cache.value(for: "k", lifetime: .seconds(60)) { try await computations.compute(3) }
                kept = computations.value == before
            }
            #expect(kept)
        }
    }
}
