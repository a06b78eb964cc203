import CArgon2
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Hashes and verifies passwords: Argon2id for new hashes (PHC strings, libargon2), with bcrypt
/// hashes from older systems still verified and reported for upgrade.
///
/// Hashing is slow and memory-hungry on purpose, so it runs on threads of its own, as many as
/// `maxConcurrentHashes`: never on an event loop or a Swift concurrency thread, and never more at
/// once than that, so memory stays bounded (`maxConcurrentHashes` × the Argon2 memory) however many
/// logins arrive together; the others wait in line, and a waiting hash whose task is cancelled is
/// skipped.
public final class PasswordHasher: Sendable {
    /// The outcome of checking a password.
    public enum Verification: Sendable, Equatable {
        /// Wrong password, or a hash this hasher cannot read.
        case invalid
        case valid
        /// Correct, but the hash uses bcrypt or other Argon2 parameters: store a new hash.
        case validNeedsRehash
    }

    public let parameters: Argon2Parameters
    private let threads: NIOThreadPool

    public init(parameters: Argon2Parameters = .owaspMinimum, maxConcurrentHashes: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.parameters = parameters
        self.threads = NIOThreadPool(numberOfThreads: max(1, maxConcurrentHashes))
        threads.start()
    }

    deinit {
        threads.shutdownGracefully { _ in }
    }

    /// An Argon2id PHC string for `password`.
    public func hash(_ password: String) async throws -> String {
        try await threads.runIfActive { [parameters] in try Self.argon2Hash(password, parameters: parameters) }
    }

    /// Checks `password` against a stored hash (Argon2id or bcrypt).
    public func verify(_ password: String, against hash: String) async -> Verification {
        let parameters = self.parameters
        return (try? await threads.runIfActive { Self.verifyNow(password, against: hash, parameters: parameters) }) ?? .invalid
    }

    /// Spends the time of a verification without a user, to equalise timing; always `false`.
    /// Verifying an Argon2id hash computes one with the same parameters, so hashing the password
    /// costs the same as checking it against a stored hash.
    public func verifyWithoutUser(_ password: String) async -> Bool {
        _ = try? await hash(password)
        return false
    }

    // MARK: Internals

    static func argon2Hash(_ password: String, parameters: Argon2Parameters) throws -> String {
        var salt = [UInt8](repeating: 0, count: parameters.saltLength)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let length = argon2_encodedlen(
            parameters.iterations, parameters.memoryKiB, parameters.parallelism, UInt32(salt.count),
            UInt32(parameters.hashLength), Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let password = Array(password.utf8)
        let status = argon2id_hash_encoded(
            parameters.iterations, parameters.memoryKiB, parameters.parallelism, password, password.count, salt,
            salt.count, parameters.hashLength, &encoded, length)
        guard status == ARGON2_OK.rawValue else {
            throw PasswordHashingError(message: String(cString: argon2_error_message(status)))
        }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func verifyNow(_ password: String, against hash: String, parameters: Argon2Parameters) -> Verification {
        if hash.hasPrefix("$argon2id$") {
            let bytes = Array(password.utf8)
            guard argon2id_verify(hash, bytes, bytes.count) == ARGON2_OK.rawValue else { return .invalid }
            return Argon2Parameters(phc: hash) == Argon2Parameters(
                memoryKiB: parameters.memoryKiB, iterations: parameters.iterations, parallelism: parameters.parallelism)
                ? .valid : .validNeedsRehash
        }
        if hash.hasPrefix("$2a$") || hash.hasPrefix("$2b$") || hash.hasPrefix("$2y$") {
            return Bcrypt.verify(password, hash: hash) ? .validNeedsRehash : .invalid
        }
        return .invalid
    }
}

/// libargon2 could not hash (out of memory, say).
public struct PasswordHashingError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "password hashing failed: \(message)" }
}
