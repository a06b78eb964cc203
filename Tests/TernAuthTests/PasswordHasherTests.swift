import Testing

@testable import TernAuth

@Suite("Password hashing")
struct PasswordHasherTests {
    let hasher = PasswordHasher(parameters: Argon2Parameters(memoryKiB: 512, iterations: 1), maxConcurrentHashes: 2)

    @Test("hashes are Argon2id PHC strings with the configured cost and a random salt")
    func hashes() async throws {
        let first = try await hasher.hash("correct horse")
        let second = try await hasher.hash("correct horse")
        #expect(first.hasPrefix("$argon2id$v=19$m=512,t=1,p=1$"))
        #expect(first != second)
        #expect(await hasher.verify("correct horse", against: first) == .valid)
        #expect(await hasher.verify("wrong horse", against: first) == .invalid)
    }

    @Test("the OWASP defaults are m=19 MiB, t=2, p=1")
    func defaults() async throws {
        let hash = try await PasswordHasher(maxConcurrentHashes: 1).hash("x")
        #expect(hash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
    }

    @Test("a hash made with other parameters, or with bcrypt, verifies and asks to be re-hashed")
    func rehash() async throws {
        let older = try await PasswordHasher(parameters: Argon2Parameters(memoryKiB: 256, iterations: 1), maxConcurrentHashes: 1)
            .hash("secret")
        #expect(await hasher.verify("secret", against: older) == .validNeedsRehash)
        let bcrypt = "$2b$04$WR9zzLfrwXzpix2yFmSuNe55Bk0.qeNFnnTfoRXsW3L9XpAvBNshG"  // "legacy-password"
        #expect(await hasher.verify("legacy-password", against: bcrypt) == .validNeedsRehash)
        #expect(await hasher.verify("other", against: bcrypt) == .invalid)
    }

    @Test("unreadable hashes never verify")
    func garbage() async {
        for hash in ["", "plain", "$argon2i$v=19$m=512,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "$1$md5$crypt"] {
            #expect(await hasher.verify("plain", against: hash) == .invalid)
        }
        #expect(await hasher.verifyWithoutUser("anything") == false)
    }

    @Test("many concurrent hashes all complete (the rest wait in line)")
    func concurrency() async throws {
        let hashes = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<16 { group.addTask { try await hasher.hash("password \(index)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(hashes).count == 16)
    }
}
