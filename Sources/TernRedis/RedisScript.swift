import Crypto
import TernPrimitives

/// A Lua script run atomically by Redis, by its SHA-1 (`EVALSHA`), so that its text crosses the network
/// only when the server does not hold it yet (after a restart or `SCRIPT FLUSH`).
public struct RedisScript: Sendable, Hashable {
    public let source: String
    /// The SHA-1 of the source, in hex: the script's name to `EVALSHA`.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        sha1 = Insecure.SHA1.hash(data: Array(source.utf8)).lowercaseHex
    }
}
