import CArgon2

/// Argon2id through `argon2_ctx`: the one libargon2 entry point that takes allocation callbacks, so
/// that a hash's memory comes from ``Argon2Memory`` and goes back to the kernel when the hash ends.
enum Argon2id {
    /// Fills `phc.hash` with the hash of `password` under `phc`'s salt, version and cost, its length
    /// `length`.
    static func hash(_ password: [UInt8], into phc: inout Argon2PHCString, length: Int) throws(PasswordHashingError) {
        var output = [UInt8](repeating: 0, count: max(0, length))
        let status = run(password, phc, output: &output)
        guard status == ARGON2_OK.rawValue else {
            throw PasswordHashingError(message: String(cString: argon2_error_message(status)))
        }
        phc.hash = output
    }

    /// Whether `password` hashes to `phc.hash`, compared in time that does not depend on where they differ.
    static func verify(_ password: [UInt8], against phc: Argon2PHCString) -> Bool {
        var computed = phc
        guard (try? hash(password, into: &computed, length: phc.hash.count)) != nil else { return false }
        return constantTimeEqual(computed.hash, phc.hash)
    }

    private static func run(_ password: [UInt8], _ phc: Argon2PHCString, output: inout [UInt8]) -> Int32 {
        // Lengths beyond 32 bits are refused by libargon2 anyway; say so without trapping.
        guard let passwordLength = UInt32(exactly: password.count), let saltLength = UInt32(exactly: phc.salt.count),
            let outputLength = UInt32(exactly: output.count)
        else { return ARGON2_PWD_TOO_LONG.rawValue }
        return password.withUnsafeBufferPointer { password in
            phc.salt.withUnsafeBufferPointer { salt in
                output.withUnsafeMutableBufferPointer { output in
                    // libargon2 writes neither password nor salt unless asked to clear them (flags 0).
                    var context = argon2_context(
                        out: output.baseAddress, outlen: outputLength,
                        pwd: UnsafeMutablePointer(mutating: password.baseAddress), pwdlen: passwordLength,
                        salt: UnsafeMutablePointer(mutating: salt.baseAddress), saltlen: saltLength,
                        secret: nil, secretlen: 0, ad: nil, adlen: 0,
                        t_cost: phc.iterations, m_cost: phc.memoryKiB, lanes: phc.parallelism, threads: phc.parallelism,
                        version: phc.version,
                        allocate_cbk: { memory, length in Argon2Memory.allocate(memory, length) },
                        free_cbk: { memory, length in Argon2Memory.free(memory, length) },
                        flags: 0)
                    return argon2_ctx(&context, Argon2_id)
                }
            }
        }
    }

    private static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
