import Synchronization
import TernPrimitives
import TernRateLimit

/// A `RateLimiter` shared by every process through Redis: exact under concurrency, since decisions
/// are made by a Lua script, which Redis runs alone, on the server's clock (`TIME`), so processes
/// whose clocks disagree still agree on the limits.
///
/// Decisions asked for while one script call is in flight wait for the next call, which makes them
/// all, reading and writing each key once: under load a hundred requests cost Redis one script run
/// instead of a hundred, and no request waits for more than the call before its own. Identical events
/// (the same keys under the same limits) go to the script once, with their number, and are decided one
/// after another; groups are decided in the order their first events arrived.
///
/// The script makes the decisions and stores the new TATs; it returns the time and the TATs each
/// group's first event saw, from which `GCRA` replays the same outcomes here, with what the headers
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

    /// One script call for a batch of events, grouped (under load, a hundred requests from one client
    /// are one group of a hundred).
    private func decide(_ batch: [Pending]) async throws -> [[RateLimitDecision]] {
        let groups = EventGroup.grouping(batch)
        var keyIndex: [String: Int] = [:]
        var keys: [String] = []
        var arguments: [RedisArgument] = [.integer(Int64(groups.count))]
        for group in groups {
            arguments += [group.recording ? "1" : "0", .integer(Int64(group.members.count)), .integer(Int64(group.limits.count))]
            for (storageKey, limit) in group.limits {
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
        let expected = groups.reduce(1) { $0 + $1.limits.count }
        guard let values = reply.array?.compactMap(\.integer), values.count == expected else {
            throw RedisError.protocolError("the rate-limit script answered \(reply)")
        }
        var decisions = [[RateLimitDecision]](repeating: [], count: batch.count)
        var seen = values.dropFirst()[...]
        for group in groups {
            var storedTATs: [Int64?] = seen.prefix(group.limits.count).map { $0 < 0 ? nil : $0 }
            seen = seen.dropFirst(group.limits.count)
            let limits = group.limits.map(\.limit)
            for member in group.members {
                let outcomes = GCRA.outcomes(of: limits, storedTATs: storedTATs, now: values[0])
                if group.recording, outcomes.allSatisfy(\.admitted) { storedTATs = outcomes.map(\.newTAT) }
                decisions[member] = RateLimitDecision.split(outcomes, among: batch[member].counts)
            }
        }
        return decisions
    }

    /// Events of a batch that count the same keys under the same limits, and either all record or all
    /// only look: the indices of its members in the batch, in order.
    private struct EventGroup {
        let recording: Bool
        let limits: [(storageKey: String, limit: RateLimit)]
        var members: [Int]

        static func grouping(_ batch: [Pending]) -> [EventGroup] {
            var groups: [EventGroup] = []
            var groupIndex: [GroupKey: Int] = [:]
            for (index, pending) in batch.enumerated() {
                let key = GroupKey(counts: pending.counts, recording: pending.recording)
                if let existing = groupIndex[key] {
                    groups[existing].members.append(index)
                } else {
                    groupIndex[key] = groups.count
                    groups.append(EventGroup(recording: pending.recording, limits: GCRA.flattened(pending.counts), members: [index]))
                }
            }
            return groups
        }
    }

    private struct GroupKey: Hashable {
        let counts: [RateLimitCount]
        let recording: Bool
    }

    /// KEYS: every key of the batch, once. ARGV: the number of groups, then for each group 1 to record
    /// its events if admitted (0 to look only), its number of events, its number of limits, and for
    /// each limit its key's index, emission interval and period in microseconds. Returns the time,
    /// then for each group and limit the TAT the group's first event saw (-1: none). An event is
    /// admitted if all its limits admit it; a group's events are decided one after another.
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
          local record, events, count = ARGV[a] == '1', tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
          a = a + 3
          local limits = {}
          for i = 1, count do
            limits[i] = {tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])}
            a = a + 3
            result[#result + 1] = tat(limits[i][1]) or -1
          end
          for _ = 1, events do
            local admitted, newTATs = true, {}
            for i, limit in ipairs(limits) do
              local new = math.max(tat(limit[1]) or now, now) + limit[2]
              if new - limit[3] > now then admitted = false end
              newTATs[i] = new
            end
            if record and admitted then
              for i, limit in ipairs(limits) do
                tats[limit[1]] = newTATs[i]
                changed[limit[1]] = true
              end
            end
          end
        end
        for k in pairs(changed) do
          redis.call('SET', KEYS[k], string.format('%d', tats[k]), 'PX', math.ceil((tats[k] - now) / 1000))
        end
        return result
        """)
}
