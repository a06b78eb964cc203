import CArgon2
import Foundation
import Testing

@testable import TernAuth

/// Parameters cheap enough to hash hundreds of times.
private let cheap = Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1)

/// What libargon2's own encoder writes: every hash stored before the hasher went through `argon2_ctx`.
private func libargon2Encoded(
    _ password: String, salt: [UInt8], cost: Argon2Parameters, version: argon2_version = ARGON2_VERSION_13
) -> String {
    let length = argon2_encodedlen(
        cost.iterations, cost.memoryKiB, cost.parallelism, UInt32(salt.count), UInt32(cost.hashLength), Argon2_id)
    var encoded = [CChar](repeating: 0, count: length)
    let password = Array(password.utf8)
    let status = argon2_hash(
        cost.iterations, cost.memoryKiB, cost.parallelism, password, password.count, salt, salt.count, nil, cost.hashLength,
        &encoded, length, Argon2_id, version.rawValue)
    #expect(status == ARGON2_OK.rawValue)
    return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Whether libargon2's own verifier accepts `password` for `encoded`.
private func libargon2Accepts(_ password: String, _ encoded: String) -> Bool {
    let password = Array(password.utf8)
    return argon2id_verify(encoded, password, password.count) == ARGON2_OK.rawValue
}

private func newHash(_ password: String, salt: [UInt8], cost: Argon2Parameters) throws -> String {
    var phc = Argon2PHCString(parameters: cost, salt: salt)
    try Argon2id.hash(Array(password.utf8), into: &phc, length: cost.hashLength)
    return phc.encoded
}

@Suite("Argon2id PHC strings through argon2_ctx", .timeLimit(.minutes(2)))
struct Argon2PHCStringTests {
    @Test("a hash of the default cost is exactly what argon2id_hash_encoded writes, in the PHC shape")
    func sameStringAsLibargon2() throws {
        let salt = SecretBytes.random(16)
        let ours = try newHash("correct horse", salt: salt, cost: .rfc9106SecondRecommendation)
        #expect(ours == libargon2Encoded("correct horse", salt: salt, cost: .rfc9106SecondRecommendation))
        let fields = ours.split(separator: "$", omittingEmptySubsequences: false)
        #expect(fields.count == 6)
        #expect(fields.prefix(4) == ["", "argon2id", "v=19", "m=65536,t=3,p=4"])
        #expect(fields[4].count == 22 && fields[5].count == 43)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        #expect((fields[4] + fields[5]).allSatisfy(alphabet.contains))
    }

    @Test("a new hash verifies, with the new verifier and with libargon2's")
    func newHashesVerify() async throws {
        let hasher = PasswordHasher(parameters: cheap, limits: HashingLimits(maxConcurrentHashes: 1))
        let stored = try await hasher.hash("correct horse")
        #expect(try await hasher.verify("correct horse", against: stored) == .valid)
        #expect(try await hasher.verify("wrong horse", against: stored) == .invalid)
        #expect(try await hasher.verify("", against: stored) == .invalid)
        #expect(libargon2Accepts("correct horse", stored))
    }

    @Test(
        "hashes libargon2 wrote verify: any salt and hash length, several lanes, empty and non-ASCII passwords",
        arguments: [
            ("correct horse", Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1)),
            ("", Argon2Parameters(memoryKiB: 256, iterations: 2, parallelism: 4)),
            ("pässwörd 🔑", Argon2Parameters(memoryKiB: 128, iterations: 3, parallelism: 2, saltLength: 8, hashLength: 16)),
            ("long salt", Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1, saltLength: 47, hashLength: 64)),
        ])
    func libargon2HashesVerify(password: String, cost: Argon2Parameters) {
        let stored = libargon2Encoded(password, salt: SecretBytes.random(cost.saltLength), cost: cost)
        #expect(PasswordHasher.verifyNow(password, against: stored, parameters: cost) == .valid)
        #expect(PasswordHasher.verifyNow(password + "x", against: stored, parameters: cost) == .invalid)
    }

    @Test("an Argon2 1.0 hash, with v=16 or no version, verifies and asks to be re-hashed")
    func version10() {
        let stored = libargon2Encoded("secret", salt: SecretBytes.random(16), cost: cheap, version: ARGON2_VERSION_10)
        #expect(stored.hasPrefix("$argon2id$v=16$"))
        let withoutVersion = stored.replacingOccurrences(of: "$v=16", with: "")
        for hash in [stored, withoutVersion] {
            #expect(libargon2Accepts("secret", hash))
            #expect(PasswordHasher.verifyNow("secret", against: hash, parameters: cheap) == .validNeedsRehash)
            #expect(PasswordHasher.verifyNow("other", against: hash, parameters: cheap) == .invalid)
        }
    }

    @Test("every one-character change, deletion and truncation of a hash is judged as libargon2 judges it")
    func tamperedHashesAgreeWithLibargon2() {
        let stored = libargon2Encoded("secret", salt: SecretBytes.random(16), cost: cheap)
        let characters = Array(stored)
        var mutants: [String] = (0...characters.count).map { String(characters.prefix($0)) }
        for index in characters.indices {
            var deleted = characters
            deleted.remove(at: index)
            mutants.append(String(deleted))
            for replacement in Array("A0/9$,=x") where replacement != characters[index] {
                var changed = characters
                changed[index] = replacement
                mutants.append(String(changed))
            }
        }
        mutants += [stored + "A", stored + "$", stored + "=", stored + ",data=c2FsdA"]
        for mutant in mutants {
            let verified = PasswordHasher.verifyNow("secret", against: mutant, parameters: cheap) != .invalid
            #expect(verified == libargon2Accepts("secret", mutant), "\(mutant)")
        }
    }

    @Test(
        "garbage and hostile PHC strings are refused without a crash",
        arguments: [
            "", "$argon2id$", "$argon2id$v=19", "$argon2id$v=19$m=65536,t=3,p=4", "$argon2id$v=19$m=65536,t=3,p=4$$",
            "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$", "$argon2id$v=19$m=,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g",
            "$argon2id$v=19$m=065536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g", "$argon2id$v=19$m=4294967296,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g",
            "$argon2id$v=19$m=99999999999999999999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHQ$aGFzaGhhc2g",
            "$argon2id$v=19$m=7,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "$argon2id$v=19$m=64,t=1,p=16$c2FsdHNhbHQ$aGFzaGhhc2g",
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaGhhc2g", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGE",
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ=$aGFzaGhhc2g", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2h",
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2gA", "$argon2id$v=19$t=1,m=64,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            "$argon2id$v=19$m=64,t=1,p=1$c2Fsd-NhbHQ$aGFzaGhhc2g", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g\0",
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g$", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            "$argon2id$v=19$m=64,t=1,p=1$ç2FsdHNhbHQ$aGFzaGhhc2g", String(repeating: "$argon2id", count: 1000),
        ])
    func garbage(hash: String) {
        #expect(PasswordHasher.verifyNow("secret", against: hash, parameters: cheap) == .invalid)
    }

    @Test("PHC base64 round-trips any bytes and refuses what libargon2's decoder refuses")
    func base64() {
        for length in 0...50 {
            let bytes = SecretBytes.random(length)
            let text = PHCBase64.encode(bytes)
            #expect(!text.contains("="))
            #expect(PHCBase64.decode(text.utf8) == bytes)
        }
        #expect(PHCBase64.encode(Array("salt".utf8)) == "c2FsdA")
        #expect(PHCBase64.decode("A".utf8) == nil)  // 1 modulo 4
        #expect(PHCBase64.decode("AB".utf8) == nil)  // stray bits in the last character
        #expect(PHCBase64.decode("AA=".utf8) == nil)
    }

    @Test("the allocation callbacks map zeroed, writable pages and report a failed mapping as nil")
    func memoryCallbacks() throws {
        var memory: UnsafeMutablePointer<UInt8>?
        #expect(Argon2Memory.allocate(&memory, 3 * 4096 + 1) == ARGON2_OK.rawValue)
        let pages = try #require(memory)
        #expect((0..<(3 * 4096 + 1)).allSatisfy { pages[$0] == 0 })
        pages[3 * 4096] = 7
        #expect(pages[3 * 4096] == 7)
        Argon2Memory.free(pages, 3 * 4096 + 1)

        memory = UnsafeMutablePointer(bitPattern: 1)
        #expect(Argon2Memory.allocate(&memory, Int.max) == ARGON2_MEMORY_ALLOCATION_ERROR.rawValue)
        #expect(memory == nil)
        #expect(Argon2Memory.allocate(nil, 4096) == ARGON2_MEMORY_ALLOCATION_ERROR.rawValue)
    }
}
