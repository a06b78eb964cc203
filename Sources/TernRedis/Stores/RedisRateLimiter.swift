import Synchronization
import TernPrimitives
import TernRateLimit

/// A ``RateLimiter`` shared by every process through Redis: exact under concurrency, since decisions
/// are made by a Lua script, which Redis runs alone, on the server's clock (`TIME`), so processes
/// whose clocks disagree still agree on the limits.
///
/// Decisions asked for while one script call is in flight wait for the next call, which makes them
/// all, in order, reading and writing each key once: under load a hundred requests cost Redis one
/// script run instead of a hundred, and no request waits for more than the call before its own.
///
/// The script makes the decisions and stores the new TATs; it returns the time and the TAT each
/// decision saw, from which ``GCRA`` computes the same outcomes again here, with what the headers
/// need (the arithmetic of the answer is in one place, Swift; the script repeats the comparison).
public final class RedisRateLimiter: RateLimiter {
    private struct Pending {
        let counts: [RateLimitCount]
        let recording: Bool
        let continuation: CheckedContinuation<[RateLimitDecision], any Error>
    }

    private let redis: RedisClient
    private let prefix: String
    private let maxBatch: Int
    private let queue = Mutex<(pending: [Pending], sending: Bool)>(([], false))

    public init(redis: RedisClient, prefix: String = "ratelimit:", maxBatch: Int = 256) {
        self.redis = redis
        self.prefix = prefix
        self.maxBatch = maxBatch
    }

    public func decide(_ counts: [RateLimitCount], recording: Bool) async throws -> [RateLimitDecision] {
        guard counts.contains(where: { !$0.limits.isEmpty }) else { return RateLimitDecision.split([], among: counts) }
        return try await withCheckedThrowingContinuation { continuation in
            let sends = queue.withLock { queue in
                queue.pending.append(Pending(counts: counts, recording: recording, continuation: continuation))
                defer { queue.sending = true }
                return !queue.sending
            }
            // The first to arrive sends, for as long as decisions keep arriving; the others wait.
            if sends { Task { await self.sendWhilePending() } }
        }
    }

    private func sendWhilePending() async {
        while true {
            let batch = queue.withLock { queue -> [Pending] in
                let batch = Array(queue.pending.prefix(maxBatch))
                queue.pending.removeFirst(batch.count)
                if batch.isEmpty { queue.sending = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let decisions = try await decide(batch)
                for (pending, decision) in zip(batch, decisions) { pending.continuation.resume(returning: decision) }
            } catch {
                for pending in batch { pending.continuation.resume(throwing: error) }
            }
        }
    }

    /// One script call for a batch of events, in order.
    private func decide(_ batch: [Pending]) async throws -> [[RateLimitDecision]] {
        var keyIndex: [String: Int] = [:]
        var keys: [String] = []
        var arguments: [RedisArgument] = [.integer(Int64(batch.count))]
        let flattened = batch.map { GCRA.flattened($0.counts) }
        for (pending, limits) in zip(batch, flattened) {
            arguments += [pending.recording ? "1" : "0", .integer(Int64(limits.count))]
            for (storageKey, limit) in limits {
                let index = keyIndex[storageKey] ?? keys.count
                if index == keys.count {
                    keyIndex[storageKey] = index
                    keys.append(prefix + storageKey)
                }
                arguments += [
                    .integer(Int64(index + 1)), .integer(limit.emissionInterval.wholeMicroseconds),
                    .integer(limit.period.wholeMicroseconds),
                ]
            }
        }
        let reply = try await redis.run(Self.script, keys: keys, arguments: arguments)
        let expected = flattened.reduce(1) { $0 + $1.count }
        guard let values = reply.array?.compactMap(\.integer), values.count == expected else {
            throw RedisError.protocolError("the rate-limit script answered \(reply)")
        }
        var seen = values.dropFirst()[...]
        return zip(batch, flattened).map { pending, limits in
            let storedTATs = seen.prefix(limits.count).map { $0 < 0 ? nil : $0 }
            seen = seen.dropFirst(limits.count)
            let outcomes = GCRA.outcomes(of: limits.map(\.limit), storedTATs: storedTATs, now: values[0])
            return RateLimitDecision.split(outcomes, among: pending.counts)
        }
    }

    /// KEYS: every key of the batch, once. ARGV: the number of events, then for each event 1 to record
    /// it if admitted (0 to look only), its number of limits, and for each limit its key's index,
    /// emission interval and period in microseconds. Returns the time, then for each event and limit
    /// the TAT the event saw (-1: none). An event is admitted if all its limits admit it.
    static let script = RedisScript(
        """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local tats, changed, result = {}, {}, {now}
        local function tat(k)
          if tats[k] == nil then tats[k] = tonumber(redis.call('GET', KEYS[k])) or false end
          return tats[k]
        end
        local a = 2
        for _ = 1, tonumber(ARGV[1]) do
          local record, count = ARGV[a] == '1', tonumber(ARGV[a + 1])
          a = a + 2
          local admitted, newTATs = true, {}
          for i = 1, count do
            local k, interval, period = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
            a = a + 3
            local stored = tat(k)
            result[#result + 1] = stored or -1
            local new = math.max(stored or now, now) + interval
            if new - period > now then admitted = false end
            newTATs[i] = {k, new}
          end
          if record and admitted then
            for _, pair in ipairs(newTATs) do
              tats[pair[1]] = pair[2]
              changed[pair[1]] = true
            end
          end
        end
        for k in pairs(changed) do
          redis.call('SET', KEYS[k], string.format('%d', tats[k]), 'PX', math.ceil((tats[k] - now) / 1000))
        end
        return result
        """)
}
