import Foundation
import HummingbirdBcrypt
import NIOPosix
import TernPrimitives

/// Hashes and verifies passwords: Argon2id for new hashes (PHC strings, libargon2), with bcrypt
/// hashes from older systems still verified and reported for upgrade.
///
/// Hashing is slow and memory-hungry on purpose, so it runs on threads of its own, as many as
/// ``HashingLimits/maxConcurrentHashes``: never on an event loop or a Swift concurrency thread, and
/// never more at once than that, so memory stays bounded (that many × the Argon2 memory) however many
/// logins arrive together. Others wait in a bounded line (`HashingQueue`): past its length, or
/// its timeout, a hash is refused with ``PasswordHasherBusy`` rather than left waiting. Each hash's
/// memory is mapped for it alone and unmapped when it ends, and when the last hash of a burst ends
/// the heaps' free pages go back to the system, so a burst of logins leaves little behind.
public final class PasswordHasher: Sendable {
    /// The outcome of checking a password.
    public enum Verification: Sendable, Equatable {
        /// Wrong password, or a hash this hasher cannot read.
        case invalid
        case valid
        /// Correct, but the hash is weaker than the policy (bcrypt, or lower Argon2 parameters):
        /// store a new hash. A hash stronger than the policy is `valid`, never downgraded.
        case validNeedsRehash
    }

    /// The policy: the parameters of new hashes, and the least a stored hash must have.
    public let parameters: Argon2Parameters
    public let limits: HashingLimits
    private let threads: NIOThreadPool
    let queue: HashingQueue

    public init(parameters: Argon2Parameters = .rfc9106SecondRecommendation, limits: HashingLimits = HashingLimits()) {
        self.parameters = parameters
        self.limits = limits
        let threads = NIOThreadPool(numberOfThreads: limits.maxConcurrentHashes)
        self.threads = threads
        // As a burst ends the heaps are trimmed on a hashing thread, free by then: no request waits for it.
        self.queue = HashingQueue(limits: limits) { [threads] queue in
            threads.submit { state in
                if state == .active { Self.releaseHeapPages(counting: queue) }
            }
        }
        threads.start()
    }

    deinit {
        threads.shutdownGracefully { _ in }
    }

    /// What the hasher is doing now and has done.
    public var statistics: HashingStatistics {
        queue.statistics
    }

    /// An Argon2id PHC string for `password`.
    public func hash(_ password: String) async throws -> String {
        try await onHashingThread { [parameters] in try Self.argon2Hash(password, parameters: parameters) }
    }

    /// Checks `password` against a stored hash (Argon2id or bcrypt). Throws only when hashing is
    /// at capacity (``PasswordHasherBusy``) or the task was cancelled while waiting.
    public func verify(_ password: String, against hash: String) async throws -> Verification {
        try await onHashingThread { [parameters] in Self.verifyNow(password, against: hash, parameters: parameters) }
    }

    /// Spends the time of a verification without a user, to equalise timing; always `false`.
    /// Verifying an Argon2id hash computes one with the same parameters, so hashing the password
    /// costs the same as checking it against a stored hash.
    public func verifyWithoutUser(_ password: String) async throws -> Bool {
        _ = try await hash(password)
        return false
    }

    // MARK: Internals

    private func onHashingThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await queue.run { [queue] beginsBurst in
            try await threads.runIfActive {
                // Before a burst maps its hashes' memory, earlier traffic's free heap pages go back.
                if beginsBurst { Self.releaseHeapPages(counting: queue) }
                return try work()
            }
        }
    }

    private static func releaseHeapPages(counting queue: HashingQueue) {
        if FreeHeapPages.release() { queue.recordHeapRelease() }
    }

    static func argon2Hash(_ password: String, parameters: Argon2Parameters) throws -> String {
        var phc = Argon2PHCString(parameters: parameters, salt: SecretBytes.random(parameters.saltLength))
        try Argon2id.hash(Array(password.utf8), into: &phc, length: parameters.hashLength)
        return phc.encoded
    }

    static func verifyNow(_ password: String, against hash: String, parameters: Argon2Parameters) -> Verification {
        if hash.hasPrefix("$argon2id$") {
            guard let stored = Argon2PHCString(parsing: hash), Argon2id.verify(Array(password.utf8), against: stored) else {
                return .invalid
            }
            // Argon2 1.0 hashes verify, but only 1.3 counts as current.
            guard stored.version == Argon2PHCString.currentVersion, !stored.parameters.isWeaker(than: parameters) else {
                return .validNeedsRehash
            }
            return .valid
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
