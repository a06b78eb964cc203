/// The cost of an Argon2id hash. The defaults are OWASP's minimum recommendation (19 MiB of memory,
/// 2 passes, 1 lane): strong enough, and several times cheaper than pwdlib's default, which lets a
/// small server answer logins quickly with bounded memory.
public struct Argon2Parameters: Sendable, Hashable {
    /// Memory in KiB.
    public var memoryKiB: UInt32
    /// Passes over the memory.
    public var iterations: UInt32
    /// Lanes.
    public var parallelism: UInt32
    public var saltLength: Int
    public var hashLength: Int

    public init(memoryKiB: UInt32 = 19 * 1024, iterations: UInt32 = 2, parallelism: UInt32 = 1, saltLength: Int = 16, hashLength: Int = 32) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
        self.saltLength = saltLength
        self.hashLength = hashLength
    }

    /// OWASP's minimum: m=19 MiB, t=2, p=1.
    public static let owaspMinimum = Argon2Parameters()

    /// The parameters recorded in a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
    init?(phc: String) {
        let fields = phc.split(separator: "$")
        guard fields.count == 5, fields[0] == "argon2id" else { return nil }
        var values: [Substring: UInt32] = [:]
        for pair in fields[2].split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let value = UInt32(parts[1]) else { return nil }
            values[parts[0]] = value
        }
        guard let memory = values["m"], let iterations = values["t"], let parallelism = values["p"] else { return nil }
        self.init(memoryKiB: memory, iterations: iterations, parallelism: parallelism)
    }
}
