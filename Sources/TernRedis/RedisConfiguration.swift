import Foundation

/// Where Redis is and how the client talks to it: a `REDIS_URL` plus the client's limits.
///
/// `redis://[[user]:password@]host[:port][/db]`; the password never appears in ``redactedURL``.
/// `rediss://` (TLS) is refused: this build has no TLS for Redis, and silently talking plain text to
/// a server that expects TLS would be worse than not starting.
public struct RedisConfiguration: Sendable {
    /// A `REDIS_URL` that cannot be used, with the reason.
    public struct InvalidURL: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int
    /// Connections commands are spread over; each carries any number of them at once (pipelining).
    public var connectionCount: Int
    public var connectTimeout: Duration
    /// How long a reply may take before the command fails with ``RedisError/timeout``.
    public var commandTimeout: Duration
    /// The most reply bytes held unparsed at once (one bulk string, in practice): past it the
    /// connection closes. An array of many small elements is parsed as it comes and not bounded here.
    public var maxReplyBytes: Int

    public init(
        url: String, connectionCount: Int = 2, connectTimeout: Duration = .seconds(1), commandTimeout: Duration = .seconds(1),
        maxReplyBytes: Int = 64 << 20
    ) throws(InvalidURL) {
        self.connectionCount = max(1, connectionCount)
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.maxReplyBytes = maxReplyBytes
        if url.hasPrefix("rediss://") {
            throw InvalidURL(reason: "rediss:// (Redis over TLS) is not supported by this build; use redis:// on a trusted network")
        }
        guard url.hasPrefix("redis://") else {
            throw InvalidURL(reason: "REDIS_URL must start with redis://, as in redis://localhost:6379/0")
        }
        var rest = Substring(url.dropFirst("redis://".count))
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = Self.percentDecoded(credentials[..<colon])
                username = user.isEmpty ? nil : user
                password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
            } else {
                // redis://secret@host: a lone credential is the password, as redis-py reads it.
                password = Self.percentDecoded(credentials)
            }
        }
        (host, port) = try Self.hostAndPort(rest)
        if path.isEmpty {
            database = 0
        } else if let number = Int(path), number >= 0 {
            database = number
        } else {
            throw InvalidURL(reason: "the database in REDIS_URL must be a number, as in redis://localhost:6379/0")
        }
    }

    /// The URL without its password, to log.
    public var redactedURL: String {
        let credentials = password == nil ? (username.map { "\($0)@" } ?? "") : "\(username ?? ""):***@"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "redis://\(credentials)\(hostPart):\(port)/\(database)"
    }

    private static func hostAndPort(_ text: Substring) throws(InvalidURL) -> (String, Int) {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {  // [::1]:6379
            guard let close = text.firstIndex(of: "]") else { throw InvalidURL(reason: "REDIS_URL has an unclosed [ in its host") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw InvalidURL(reason: "REDIS_URL needs a host, as in redis://localhost:6379/0") }
        guard let portText else { return (String(host), 6379) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw InvalidURL(reason: "the port in REDIS_URL must be a number from 1 to 65535")
        }
        return (String(host), port)
    }

    private static func percentDecoded(_ text: Substring) -> String {
        String(text).removingPercentEncoding ?? String(text)
    }
}
