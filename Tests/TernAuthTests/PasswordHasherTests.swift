import TestSupport
import Testing

@testable import TernAuth

/// Parameters cheap enough for tests that hash a lot.
private let cheap = Argon2Parameters(memoryKiB: 512, iterations: 1, parallelism: 1)

@Suite("Password hashing", .timeLimit(.minutes(2)))
struct PasswordHasherTests {
    let hasher = PasswordHasher(parameters: cheap, limits: HashingLimits(maxConcurrentHashes: 2))

    @Test("hashes are Argon2id PHC strings with the configured cost and a random salt")
    func hashes() async throws {
        let first = try await hasher.hash("correct horse")
        let second = try await hasher.hash("correct horse")
        #expect(first.hasPrefix("$argon2id$v=19$m=512,t=1,p=1$"))
        #expect(first != second)
        #expect(try await hasher.verify("correct horse", against: first) == .valid)
        #expect(try await hasher.verify("wrong horse", against: first) == .invalid)
    }

    @Test("the defaults are RFC 9106's second recommendation, as pwdlib's: m=64 MiB, t=3, p=4")
    func defaults() async throws {
        let hash = try await PasswordHasher(limits: HashingLimits(maxConcurrentHashes: 1)).hash("x")
        #expect(hash.hasPrefix("$argon2id$v=19$m=65536,t=3,p=4$"))
    }

    @Test("a hash weaker than the policy in any parameter, or bcrypt, verifies and asks to be re-hashed")
    func weakerHashesAreUpgraded() async throws {
        let policy = PasswordHasher(parameters: Argon2Parameters(memoryKiB: 1024, iterations: 2, parallelism: 2), limits: .init())
        for weaker in [
            Argon2Parameters(memoryKiB: 512, iterations: 2, parallelism: 2),
            Argon2Parameters(memoryKiB: 1024, iterations: 1, parallelism: 2),
            Argon2Parameters(memoryKiB: 1024, iterations: 2, parallelism: 1),
            Argon2Parameters(memoryKiB: 4096, iterations: 4, parallelism: 1),  // stronger in two, weaker in one
            Argon2Parameters(memoryKiB: 1024, iterations: 2, parallelism: 2, hashLength: 16),
        ] {
            let stored = try await PasswordHasher(parameters: weaker, limits: .init()).hash("secret")
            #expect(try await policy.verify("secret", against: stored) == .validNeedsRehash, "\(weaker)")
        }
        let bcrypt = "$2b$04$WR9zzLfrwXzpix2yFmSuNe55Bk0.qeNFnnTfoRXsW3L9XpAvBNshG"  // "legacy-password"
        #expect(try await policy.verify("legacy-password", against: bcrypt) == .validNeedsRehash)
        #expect(try await policy.verify("other", against: bcrypt) == .invalid)
    }

    @Test("a hash as strong as the policy, or stronger, is kept: never downgraded")
    func strongerHashesAreKept() async throws {
        let policy = PasswordHasher(parameters: .owaspMinimum, limits: .init())
        // What pwdlib (argon2-cffi's defaults) stored for "secret" in the reference template: m=64 MiB, t=3, p=4.
        let pwdlib = "$argon2id$v=19$m=65536,t=3,p=4$iiWM4ERijF+UyjlMJR8eKQ$PESDdmWMme//RHZj5QSIKwkJVShcDdZWuubuspHjnC0"
        #expect(try await policy.verify("secret", against: pwdlib) == .valid)
        #expect(try await PasswordHasher().verify("secret", against: pwdlib) == .valid)
        let stored = try await PasswordHasher(parameters: .rfc9106SecondRecommendation, limits: .init()).hash("secret")
        #expect(try await policy.verify("secret", against: stored) == .valid)
        let same = try await policy.hash("secret")
        #expect(try await policy.verify("secret", against: same) == .valid)
    }

    @Test("unreadable hashes never verify")
    func garbage() async throws {
        for hash in ["", "plain", "$argon2i$v=19$m=512,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "$1$md5$crypt", "$argon2id$v=19$m=x$$"] {
            #expect(try await hasher.verify("plain", against: hash) == .invalid)
        }
    }

    @Test("a login for an unknown user pays a real hash with the policy's cost")
    func verificationWithoutUserHashes() async throws {
        let before = hasher.statistics.completed
        #expect(try await hasher.verifyWithoutUser("anything") == false)
        #expect(hasher.statistics.completed == before + 1)
    }

    @Test("many concurrent hashes all complete, never more at once than the limit")
    func concurrencyBound() async throws {
        let bounded = PasswordHasher(
            parameters: Argon2Parameters(memoryKiB: 4096, iterations: 2, parallelism: 1),
            // A queue timeout no loaded machine reaches: the test is about the bound, not the wait.
            limits: HashingLimits(maxConcurrentHashes: 3, maxQueuedHashes: 64, queueTimeout: .seconds(60)))
        let hashes = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<24 { group.addTask { try await bounded.hash("password \(index)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(hashes).count == 24)
        let statistics = bounded.statistics
        #expect(statistics.peakRunning == 3)
        #expect(statistics.completed == 24)
        #expect(statistics.running == 0 && statistics.queued == 0)
    }

    #if canImport(Glibc)
    @Test("the heaps' free pages go back to the system as a burst's first hash starts and when its last ends")
    func heapReleasedPerBurst() async throws {
        let hasher = PasswordHasher(parameters: cheap, limits: HashingLimits(maxConcurrentHashes: 2, maxQueuedHashes: 4))
        // The occupation holds places without hashing: it releases nothing as it starts.
        let occupation = try await HashingOccupation(hasher)
        async let queued = hasher.hash("third")
        try await waitUntil { hasher.statistics.queued == 1 }
        #expect(hasher.statistics.heapReleases == 0)
        try await occupation.release()
        // Handed a place mid-burst, the waiting hash begins nothing; its end ends the burst.
        _ = try await queued
        try await waitUntil { hasher.statistics.heapReleases == 1 }
        _ = try await hasher.hash("alone")
        try await waitUntil { hasher.statistics.heapReleases == 3 }
        #expect(hasher.statistics.completed == 4)
    }

    @Test("a hash begins a burst when none runs: not beside another, nor when handed a place in line")
    func burstBeginnings() async throws {
        let queue = HashingQueue(limits: HashingLimits(maxConcurrentHashes: 2, maxQueuedHashes: 4))
        let (opened, gate) = AsyncStream.makeStream(of: Void.self)
        let holders = (0..<2).map { _ in
            Task {
                try await queue.run { beginsBurst in
                    for await _ in opened {}
                    return beginsBurst
                }
            }
        }
        try await waitUntil { queue.statistics.running == 2 }
        async let waiter = queue.run { beginsBurst in beginsBurst }
        try await waitUntil { queue.statistics.queued == 1 }
        gate.finish()
        var held: [Bool] = []
        for holder in holders { held.append(try await holder.value) }
        #expect(held.filter { $0 }.count == 1)
        #expect(try await waiter == false)
        #expect(try await queue.run { beginsBurst in beginsBurst } == true)
    }
    #endif

    @Test("with every thread busy and the line full, a hash is refused at once")
    func fullQueueRefuses() async throws {
        let busy = PasswordHasher(parameters: cheap, limits: HashingLimits(maxConcurrentHashes: 1, maxQueuedHashes: 1))
        let occupation = try await HashingOccupation(busy)
        async let queued = busy.hash("second")
        try await waitUntil { busy.statistics.queued == 1 }
        await #expect(throws: PasswordHasherBusy.self) { try await busy.hash("third") }
        try await occupation.release()
        _ = try await queued
        #expect(busy.statistics.refused == 1)
        #expect(busy.statistics.completed == 2)
    }

    @Test("a hash waiting longer than the queue timeout is refused, not left waiting")
    func queueTimeout() async throws {
        let busy = PasswordHasher(
            parameters: cheap, limits: HashingLimits(maxConcurrentHashes: 1, maxQueuedHashes: 4, queueTimeout: .milliseconds(50)))
        let occupation = try await HashingOccupation(busy)
        await #expect(throws: PasswordHasherBusy.self) { try await busy.hash("second") }
        #expect(busy.statistics.queued == 0)
        try await occupation.release()
        #expect(try await busy.hash("third").hasPrefix("$argon2id$"))
    }

    @Test("a waiting hash whose task is cancelled leaves the line")
    func cancelledWaiter() async throws {
        let busy = PasswordHasher(parameters: cheap, limits: HashingLimits(maxConcurrentHashes: 1, maxQueuedHashes: 4))
        let occupation = try await HashingOccupation(busy)
        let waiter = Task { try await busy.hash("second") }
        try await waitUntil { busy.statistics.queued == 1 }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(busy.statistics.queued == 0)
        try await occupation.release()
        #expect(busy.statistics.completed == 1)
    }
}
