import TernPrimitives
import TernRateLimit

/// A ``RateLimiter`` shared by every process through Redis: exact under concurrency, since each
/// decision is one Lua script, which Redis runs alone, on the server's clock (`TIME`), so processes
/// whose clocks disagree still agree on the limits.
///
/// The script makes the decision and stores the new TATs; it returns the time and the TATs it read,
/// from which ``GCRA`` computes the same outcomes again here, with what the headers need (the
/// arithmetic of the answer is in one place, Swift; the script only repeats the comparison).
public struct RedisRateLimiter: RateLimiter {
    private let redis: RedisClient
    private let prefix: String

    public init(redis: RedisClient, prefix: String = "ratelimit:") {
        self.redis = redis
        self.prefix = prefix
    }

    public func decide(_ counts: [RateLimitCount], recording: Bool) async throws -> [RateLimitDecision] {
        let flattened = GCRA.flattened(counts)
        guard !flattened.isEmpty else { return RateLimitDecision.split([], among: counts) }
        var arguments: [RedisArgument] = [recording ? "1" : "0"]
        for (_, limit) in flattened {
            arguments += [.integer(limit.emissionInterval.wholeMicroseconds), .integer(limit.period.wholeMicroseconds)]
        }
        let reply = try await redis.run(Self.script, keys: flattened.map { prefix + $0.storageKey }, arguments: arguments)
        guard let values = reply.array?.compactMap(\.integer), values.count == flattened.count + 1 else {
            throw RedisError.protocolError("the rate-limit script answered \(reply)")
        }
        let storedTATs = values.dropFirst().map { $0 < 0 ? nil : $0 }
        let outcomes = GCRA.outcomes(of: flattened.map(\.limit), storedTATs: storedTATs, now: values[0])
        return RateLimitDecision.split(outcomes, among: counts)
    }

    /// KEYS: one per limit. ARGV: 1 to record an admitted event (0 to look only), then each limit's
    /// emission interval and period, in microseconds. Returns the time and each stored TAT (-1: none).
    static let script = RedisScript(
        """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local result = {now}
        local newTATs = {}
        local admitted = true
        for i, key in ipairs(KEYS) do
          local interval = tonumber(ARGV[2 * i])
          local period = tonumber(ARGV[2 * i + 1])
          local stored = tonumber(redis.call('GET', key))
          result[i + 1] = stored or -1
          newTATs[i] = math.max(stored or now, now) + interval
          if newTATs[i] - period > now then admitted = false end
        end
        if ARGV[1] == '1' and admitted then
          for i, key in ipairs(KEYS) do
            redis.call('SET', key, string.format('%d', newTATs[i]), 'PX', math.ceil((newTATs[i] - now) / 1000))
          end
        end
        return result
        """)
}
