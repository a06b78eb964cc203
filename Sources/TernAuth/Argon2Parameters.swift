/// The cost of an Argon2id hash.
///
/// The defaults are RFC 9106's second recommended option (64 MiB of memory, 3 passes, 4 lanes, a
/// 16-byte salt, a 32-byte tag), which is also what pwdlib and argon2-cffi use by default: a database
/// shared with, or migrated from, the FastAPI reference template holds hashes of exactly this cost,
/// and both sides agree they are current.
public struct Argon2Parameters: Sendable, Hashable {
    /// Memory in KiB.
    public var memoryKiB: UInt32
    /// Passes over the memory.
    public var iterations: UInt32
    /// Lanes (libargon2 computes them on as many threads).
    public var parallelism: UInt32
    public var saltLength: Int
    public var hashLength: Int

    public init(
        memoryKiB: UInt32 = 64 * 1024, iterations: UInt32 = 3, parallelism: UInt32 = 4, saltLength: Int = 16,
        hashLength: Int = 32
    ) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
        self.saltLength = saltLength
        self.hashLength = hashLength
    }

    /// RFC 9106 §4's second recommended option: m=64 MiB, t=3, p=4 (pwdlib's default too).
    public static let rfc9106SecondRecommendation = Argon2Parameters()

    /// OWASP's minimum: m=19 MiB, t=2, p=1. Cheaper, and weaker than the default.
    public static let owaspMinimum = Argon2Parameters(memoryKiB: 19 * 1024, iterations: 2, parallelism: 1)

    /// Whether a hash made with these parameters is weaker than `policy` in any respect, and so
    /// should be replaced at the next login. A hash stronger than the policy in some respect and
    /// no weaker in any is kept: re-hashing it would downgrade it.
    public func isWeaker(than policy: Argon2Parameters) -> Bool {
        memoryKiB < policy.memoryKiB || iterations < policy.iterations || parallelism < policy.parallelism
            || saltLength < policy.saltLength || hashLength < policy.hashLength
    }
}
