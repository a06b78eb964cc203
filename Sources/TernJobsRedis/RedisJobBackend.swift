import Logging
import Synchronization
import TernDatabase
import TernJobs
import TernPrimitives
import TernRedis

/// Jobs on Redis Streams: a stream per queue read through one consumer group, so each job goes to one
/// worker and stays in the group's pending list until acknowledged, which happens only after its
/// handler succeeded (`XACK` then `XDEL`: the stream holds only unfinished jobs).
///
/// - Entries of a dead worker are reclaimed once idle past the visibility timeout (seconds; running
///   jobs' idle time is reset by their worker as their lease is extended); the delivery count
///   carries the attempt number, so a job that kills its worker every time is dead-lettered.
/// - Delayed jobs and retries wait in a sorted set and are moved to their stream by a script when due.
/// - Unique keys are plain keys holding the job id, let go when it finishes or dies.
/// - Enqueueing in a database transaction goes through the `JobOutbox`; an `OutboxRelay` moves
///   the rows to the streams once committed.
///
/// For Redis to lose nothing, it must persist (`appendonly yes`) and never evict (`maxmemory-policy
/// noeviction`): see the README.
public final class RedisJobBackend: JobBackend {
    let redis: RedisClient
    let outbox: JobOutbox
    let keys: RedisJobKeys
    /// Connections for `XREADGROUP ... BLOCK`, one per claim in flight (several workers may share
    /// this backend): a blocking read on a connection holds up whatever is sent after it.
    private let blockingConnections = Mutex<[RedisDedicatedConnection]>([])
    private let visibilityTimeout: Duration
    private let groupsCreated = Mutex<Set<String>>([])
    private let lastReclaim = Mutex<ContinuousClock.Instant?>(nil)
    private let lastConsumerCleanup = Mutex<ContinuousClock.Instant?>(nil)
    /// Entries a blocking read returned beyond what was asked, by the worker (consumer) that read
    /// them: handed to it on its next claim.
    private let overflow = Mutex<[String: [ClaimedJob]]>([:])
    /// Ticks are kept this long; a schedule cannot fire twice for one tick within it.
    private let tickRetentionSeconds = 86_400

    public init(
        redis: RedisClient, outbox: JobOutbox, visibilityTimeout: Duration = JobDefaults.visibilityTimeout, keyPrefix: String = "tern:jobs:"
    ) {
        self.redis = redis
        self.outbox = outbox
        self.keys = RedisJobKeys(prefix: keyPrefix)
        self.visibilityTimeout = visibilityTimeout
    }

    deinit {
        for connection in blockingConnections.withLock({ $0 }) { connection.close() }
    }

    // MARK: Enqueueing

    public func enqueue(_ jobs: [JobEnvelope]) async throws -> [String] {
        let replies = try await runEnqueue(jobs.map { enqueueCall($0, tick: nil) })
        return zip(jobs, replies).map { job, reply in reply.string ?? job.id }
    }

    public func enqueue(_ jobs: [JobEnvelope], in transaction: any Queryable) async throws {
        try await outbox.stage(jobs, in: transaction)
    }

    public func enqueueOnce(_ job: JobEnvelope, schedule name: String, tick: Int64) async throws -> Bool {
        let reply = try await runEnqueue([enqueueCall(job, tick: keys.tick(name, tick))])[0]
        return !reply.isNull
    }

    private func enqueueCall(_ job: JobEnvelope, tick: String?) -> (keys: [String], arguments: [RedisArgument]) {
        (
            [keys.stream(job.queue), keys.delayed, job.uniqueKey.map(keys.unique) ?? keys.unused, tick ?? keys.unused, keys.queues],
            [
                .string(job.encoded()), .string(job.id), .integer(job.runAt), .integer(currentMilliseconds()),
                job.uniqueKey == nil ? "0" : "1", tick == nil ? "0" : "1", .integer(Int64(tickRetentionSeconds)),
                .string(job.queue),
            ]
        )
    }

    /// Runs enqueue scripts pipelined, a thousand per round trip, loading the script if Redis lost it.
    private func runEnqueue(_ calls: [(keys: [String], arguments: [RedisArgument])]) async throws -> [RedisValue] {
        var replies: [RedisValue] = []
        replies.reserveCapacity(calls.count)
        for start in stride(from: 0, to: calls.count, by: 1000) {
            let chunk = calls[start..<min(start + 1000, calls.count)]
            replies += try await pipelineScript(RedisJobScripts.enqueue, chunk.map { ($0.keys, $0.arguments) })
        }
        return replies
    }

    /// Runs `script` once per call in one round trip; error replies are thrown.
    private func pipelineScript(_ script: RedisScript, _ calls: [([String], [RedisArgument])]) async throws -> [RedisValue] {
        func commands(_ verb: RedisArgument, _ body: RedisArgument) -> [[RedisArgument]] {
            calls.map { keys, arguments in [verb, body, .integer(Int64(keys.count))] + keys.map { .string($0) } + arguments }
        }
        var replies = try await redis.pipeline(commands("EVALSHA", .string(script.sha1)))
        if replies.contains(where: { if case .error(let error) = $0 { RedisError(error) == .noScript } else { false } }) {
            try await redis.send("SCRIPT", "LOAD", .string(script.source))
            replies = try await redis.pipeline(commands("EVALSHA", .string(script.sha1)))
        }
        for reply in replies {
            if case .error(let error) = reply { throw RedisError(error) }
        }
        return replies
    }

    // MARK: Claiming

    /// Takes jobs queue by queue, highest priority first, without waiting; only when every queue is
    /// empty does it wait on all of them at once (`BLOCK`). Such a read may return more than `limit`
    /// (its `COUNT` is per stream): the extra entries, already this worker's, wait in `overflow`
    /// for its next claim, which is at most a job's run time away.
    public func claim(queues: [JobQueueName], limit: Int, worker: String, wait: Duration) async throws -> [ClaimedJob] {
        guard limit > 0, !queues.isEmpty else { return [] }
        try await createGroups(queues.map(\.name))
        var claimed = takeOverflow(of: worker, limit: limit)
        if claimed.count < limit { claimed += try await reclaimIfDue(queues: queues, limit: limit - claimed.count, worker: worker) }
        for queue in queues.sorted(by: { $0.priority > $1.priority }) where claimed.count < limit {
            claimed += try await read([queue], count: limit - claimed.count, worker: worker, block: nil)
        }
        guard claimed.isEmpty else { return claimed }
        let waited = try await read(queues, count: limit, worker: worker, block: max(1, min(wait, .seconds(1)).wholeMilliseconds))
        if waited.count > limit { overflow.withLock { $0[worker, default: []] += waited.dropFirst(limit) } }
        return Array(waited.prefix(limit))
    }

    private func takeOverflow(of worker: String, limit: Int) -> [ClaimedJob] {
        overflow.withLock { overflow in
            guard let waiting = overflow[worker] else { return [] }
            overflow[worker] = waiting.count > limit ? Array(waiting.dropFirst(limit)) : nil
            return Array(waiting.prefix(limit))
        }
    }

    /// `XREADGROUP` of new entries from `queues`, highest priority first.
    private func read(_ queues: [JobQueueName], count: Int, worker: String, block: Int64?) async throws -> [ClaimedJob] {
        let streams = queues.map { RedisArgument.string(keys.stream($0.name)) }
        let blocking: [RedisArgument] = block.map { ["BLOCK", .integer($0)] } ?? []
        let arguments: [RedisArgument] =
            ["XREADGROUP", "GROUP", .string(keys.group), .string(worker), "COUNT", .integer(Int64(count))] + blocking + ["STREAMS"]
            + streams + Array(repeating: ">", count: streams.count)
        guard let reply = try await readGroup(arguments, waits: block != nil) else { return [] }
        let priorities = Dictionary(queues.map { (keys.stream($0.name), $0.priority) }, uniquingKeysWith: max)
        var claimed: [ClaimedJob] = []
        var unreadable: [(stream: String, id: String)] = []
        for entry in Self.entries(of: reply).sorted(by: { (priorities[$0.stream] ?? 0) > (priorities[$1.stream] ?? 0) }) {
            if let envelope = try? JobEnvelope.decode(entry.job) {
                claimed.append(ClaimedJob(envelope: envelope, attempt: envelope.attempt + 1, receipt: entry.id))
            } else {
                unreadable.append((entry.stream, entry.id))
            }
        }
        // Not a job this backend wrote (added by hand): kept, it would come back after every timeout.
        for entry in unreadable {
            _ = try? await redis.pipeline([
                ["XACK", .string(entry.stream), .string(keys.group), .string(entry.id)],
                ["XDEL", .string(entry.stream), .string(entry.id)],
            ])
        }
        return claimed
    }

    /// The entries of an `XREADGROUP` reply: `[[stream, [[id, [field, value...]]...]]...]`.
    private static func entries(of reply: RedisValue) -> [(stream: String, id: String, job: String)] {
        var entries: [(stream: String, id: String, job: String)] = []
        for streamReply in reply.array ?? [] {
            guard let pair = streamReply.array, pair.count == 2, let stream = pair[0].string else { continue }
            for entry in pair[1].array ?? [] {
                guard let parts = entry.array, parts.count == 2, let id = parts[0].string, let fields = parts[1].array else { continue }
                if let job = field("job", in: fields) { entries.append((stream, id, job)) }
            }
        }
        return entries
    }

    private static func field(_ name: String, in fields: [RedisValue]) -> String? {
        stride(from: 0, to: fields.count - 1, by: 2).first { fields[$0].string == name }.flatMap { fields[$0 + 1].string }
    }

    private static func integerField(_ name: String, in fields: [RedisValue]) -> Int64? {
        stride(from: 0, to: fields.count - 1, by: 2).first { fields[$0].string == name }.flatMap { fields[$0 + 1].integer }
    }

    /// `XREADGROUP`; `nil` when a stream lost its group (a `FLUSHDB`):
    /// the groups are made again on the next claim.
    private func readGroup(_ arguments: [RedisArgument], waits: Bool) async throws -> RedisValue? {
        do {
            // A read that does not wait goes over the shared connections; one that waits holds a
            // dedicated connection for as long.
            guard waits else { return try await redis.send(arguments: arguments) }
            let connection =
                blockingConnections.withLock { $0.popLast() }
                ?? RedisDedicatedConnection(configuration: redis.configuration, longestWait: .seconds(2))
            defer { blockingConnections.withLock { $0.append(connection) } }
            return try await connection.send(arguments: arguments)
        } catch {
            guard Self.isServerError(error, "NOGROUP") else { throw error }
            groupsCreated.withLock { $0.removeAll() }
            return nil
        }
    }

    private static func isServerError(_ error: RedisError, _ prefix: String) -> Bool {
        if case .server(let serverError) = error { serverError.prefix == prefix } else { false }
    }

    private func createGroups(_ queues: [String]) async throws {
        let missing = groupsCreated.withLock { created in queues.filter { !created.contains($0) } }
        for queue in missing {
            do {
                try await redis.send("XGROUP", "CREATE", .string(keys.stream(queue)), .string(keys.group), "0", "MKSTREAM")
            } catch {
                // BUSYGROUP: another worker made it first.
                guard Self.isServerError(error, "BUSYGROUP") else { throw error }
            }
            groupsCreated.withLock { _ = $0.insert(queue) }
        }
    }

    /// Every quarter of the visibility timeout, takes over the entries of workers that died.
    private func reclaimIfDue(queues: [JobQueueName], limit: Int, worker: String) async throws -> [ClaimedJob] {
        let now = ContinuousClock.now
        let due = lastReclaim.withLock { last in
            guard last.map({ now - $0 >= visibilityTimeout / 4 }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return [] }
        var claimed: [ClaimedJob] = []
        for queue in queues where claimed.count < limit {
            let reply = try await redis.run(
                RedisJobScripts.reclaim, keys: [keys.stream(queue.name), keys.dead, keys.deadIndex],
                arguments: [
                    .string(keys.group), .string(worker), .integer(visibilityTimeout.wholeMilliseconds),
                    .integer(Int64(limit - claimed.count)), .integer(currentMilliseconds()), .string(keys.uniquePrefix),
                    "its worker stopped before it finished (the lease ran out)",
                ])
            for item in reply.array ?? [] {
                guard let parts = item.array, parts.count == 3, let id = parts[0].string, let text = parts[1].string,
                    let attempt = parts[2].string.flatMap({ Int($0) }), var envelope = try? JobEnvelope.decode(text)
                else { continue }
                envelope.attempt = attempt - 1
                claimed.append(ClaimedJob(envelope: envelope, attempt: attempt, receipt: id))
            }
        }
        return claimed
    }

    // MARK: Settling

    public func complete(_ jobs: [ClaimedJob], worker: String) async throws {
        guard !jobs.isEmpty else { return }
        var commands: [[RedisArgument]] = []
        for (queue, entries) in Dictionary(grouping: jobs, by: \.envelope.queue) {
            let ids = entries.map { RedisArgument.string($0.receipt) }
            commands.append(["XACK", .string(keys.stream(queue)), .string(keys.group)] + ids)
            commands.append(["XDEL", .string(keys.stream(queue))] + ids)
        }
        for job in jobs {
            guard let uniqueKey = job.envelope.uniqueKey else { continue }
            commands.append([
                "EVAL", .string(RedisJobScripts.releaseUniqueKey.source), 1, .string(keys.unique(uniqueKey)), .string(job.id),
            ])
        }
        for reply in try await redis.pipeline(commands) {
            if case .error(let error) = reply { throw RedisError(error) }
        }
    }

    public func fail(_ job: ClaimedJob, worker: String, error: String, retryAt: Int64?) async throws {
        let dead = retryAt == nil || job.attempt >= job.envelope.maxAttempts
        let now = currentMilliseconds()
        var stored = job.envelope
        stored.attempt = job.attempt
        stored.lastError = error
        stored.runAt = retryAt ?? now
        try await redis.run(
            RedisJobScripts.fail,
            keys: [
                keys.stream(job.envelope.queue), keys.delayed, keys.dead, keys.deadIndex,
                job.envelope.uniqueKey.map(keys.unique) ?? keys.unused,
            ],
            arguments: [
                .string(job.receipt), .string(stored.encoded()), .integer(stored.runAt), dead ? "1" : "0", .string(job.id),
                .integer(now), .string(keys.group), .string(worker),
            ])
    }

    public func extendLeases(_ jobs: [ClaimedJob], worker: String) async throws {
        for (queue, entries) in Dictionary(grouping: jobs, by: \.envelope.queue) {
            try await redis.run(
                RedisJobScripts.extendLeases, keys: [keys.stream(queue)],
                arguments: [.string(keys.group), .string(worker)] + entries.map { .string($0.receipt) })
        }
    }

    public func release(_ jobs: [ClaimedJob], worker: String) async throws {
        guard !jobs.isEmpty else { return }
        // Idle for longer than any visibility timeout, so the next reclaim takes them; the delivery
        // count set back, so the attempt that never ran does not count.
        let commands: [[RedisArgument]] = jobs.map { job in
            [
                "XCLAIM", .string(keys.stream(job.envelope.queue)), .string(keys.group), .string(worker), 0, .string(job.receipt),
                "IDLE", .integer(365 * 86_400_000), "RETRYCOUNT", .integer(Int64(max(0, job.attempt - job.envelope.attempt - 1))),
                "JUSTID",
            ]
        }
        _ = try await redis.pipeline(commands)
    }

    // MARK: Housekeeping

    public func maintain() async throws {
        while try await redis.run(
            RedisJobScripts.promote, keys: [keys.delayed],
            arguments: [.integer(currentMilliseconds()), 500, .string(keys.streamPrefix)]
        ).integer == 500 {}
        try await removeGoneConsumersIfDue()
    }

    /// Every worker process reads as a consumer of its own name; once a process is gone, its name
    /// stays in the group. Hourly, names idle for a day with nothing pending are removed.
    private func removeGoneConsumersIfDue() async throws {
        let now = ContinuousClock.now
        let due = lastConsumerCleanup.withLock { last in
            guard last.map({ now - $0 >= .seconds(3600) }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return }
        for queue in try await knownQueues() {
            let stream = keys.stream(queue)
            let consumers = (try? await redis.send("XINFO", "CONSUMERS", .string(stream), .string(keys.group)).array) ?? []
            for consumer in consumers {
                let fields = consumer.array ?? []
                guard let name = Self.field("name", in: fields), Self.integerField("pending", in: fields) == 0,
                    (Self.integerField("idle", in: fields) ?? 0) > 86_400_000
                else { continue }
                try await redis.send("XGROUP", "DELCONSUMER", .string(stream), .string(keys.group), .string(name))
            }
        }
    }

    // MARK: Inspection and repair

    private func knownQueues() async throws -> [String] {
        (try await redis.send("SMEMBERS", .string(keys.queues)).array ?? []).compactMap(\.string).sorted()
    }

    public func list(_ state: JobState, queue: String?, limit: Int) async throws -> [JobSummary] {
        let queues: [String]
        if let queue {
            queues = [queue]
        } else {
            queues = try await knownQueues()
        }
        // A queue no worker has served yet has no group; making it is what the first worker does.
        try await createGroups(queues)
        switch state {
        case .dead:
            let ids = try await redis.send("ZRANGE", .string(keys.deadIndex), 0, -1).array ?? []
            guard !ids.isEmpty else { return [] }
            let values = try await redis.send(arguments: ["HMGET", .string(keys.dead)] + ids.compactMap { $0.string.map { .string($0) } })
            return (values.array ?? []).compactMap { $0.string.flatMap { try? JobEnvelope.decode($0) } }
                .filter { queue == nil || $0.queue == queue }.prefix(limit).map { JobSummary(envelope: $0, state: .dead) }
        case .running:
            var summaries: [JobSummary] = []
            for queue in queues where summaries.count < limit {
                let pending = try await redis.send(
                    "XPENDING", .string(keys.stream(queue)), .string(keys.group), "-", "+", .integer(Int64(limit)))
                for item in pending.array ?? [] {
                    guard let id = item.array?.first?.string, var envelope = try await entry(in: queue, id: id) else { continue }
                    envelope.attempt += Int(item.array?.last?.integer ?? 1)
                    summaries.append(JobSummary(envelope: envelope, state: .running))
                }
            }
            return Array(summaries.prefix(limit))
        case .queued:
            var summaries: [JobSummary] = []
            for queue in queues where summaries.count < limit {
                let start = try await firstUndelivered(queue)
                let entries = try await redis.send(
                    "XRANGE", .string(keys.stream(queue)), .string(start), "+", "COUNT", .integer(Int64(limit)))
                for entry in entries.array ?? [] {
                    guard let fields = entry.array?.last?.array, let text = Self.field("job", in: fields),
                        let envelope = try? JobEnvelope.decode(text)
                    else { continue }
                    summaries.append(JobSummary(envelope: envelope, state: .queued))
                }
            }
            for envelope in try await delayedJobs(limit: limit) where queue == nil || envelope.queue == queue {
                summaries.append(JobSummary(envelope: envelope, state: .queued))
            }
            return Array(summaries.prefix(limit))
        }
    }

    private func entry(in queue: String, id: String) async throws -> JobEnvelope? {
        let reply = try await redis.send("XRANGE", .string(keys.stream(queue)), .string(id), .string(id))
        guard let fields = reply.array?.first?.array?.last?.array, let text = Self.field("job", in: fields) else { return nil }
        return try? JobEnvelope.decode(text)
    }

    /// `(id` of the group's last delivered entry: where entries not yet handed out start.
    private func firstUndelivered(_ queue: String) async throws -> String {
        let groups = try await redis.send("XINFO", "GROUPS", .string(keys.stream(queue))).array ?? []
        for group in groups {
            let fields = group.array ?? []
            if Self.field("name", in: fields) == keys.group, let last = Self.field("last-delivered-id", in: fields) {
                return "(" + last
            }
        }
        return "-"
    }

    private func delayedJobs(limit: Int) async throws -> [JobEnvelope] {
        let members = try await redis.send("ZRANGE", .string(keys.delayed), 0, .integer(Int64(limit - 1))).array ?? []
        return members.compactMap { $0.string.flatMap { try? JobEnvelope.decode($0) } }
    }

    public func stats() async throws -> [QueueStats] {
        let now = currentMilliseconds()
        let delayed = try await delayedJobs(limit: 10_000)
        let dead = try await list(.dead, queue: nil, limit: 100_000)
        var stats: [QueueStats] = []
        let queues = try await knownQueues()
        try await createGroups(queues)
        for queue in queues {
            let stream = keys.stream(queue)
            let pending = try await redis.send("XPENDING", .string(stream), .string(keys.group)).array?.first?.integer ?? 0
            let length = try await redis.send("XLEN", .string(stream)).integer ?? 0
            let first = try await redis.send("XRANGE", .string(stream), .string(try await firstUndelivered(queue)), "+", "COUNT", 1)
            let oldest = first.array?.first?.array?.first?.string?.split(separator: "-").first.flatMap { Int64($0) }
            stats.append(
                QueueStats(
                    queue: queue, queued: Int(length - pending) + delayed.count { $0.queue == queue }, running: Int(pending),
                    dead: dead.count { $0.queue == queue }, oldestAgeMilliseconds: oldest.map { max(0, now - $0) } ?? 0))
        }
        return stats
    }

    public func retryDead(id: String) async throws -> Bool {
        try await retryDead(ids: [id]) == 1
    }

    public func retryAllDead() async throws -> Int {
        var total = 0
        while true {
            let retried = try await retryDead(ids: [])
            total += retried
            if retried < 500 { return total }
        }
    }

    private func retryDead(ids: [String]) async throws -> Int {
        let reply = try await redis.run(
            RedisJobScripts.retryDead, keys: [keys.dead, keys.deadIndex, keys.queues],
            arguments: [.integer(currentMilliseconds()), .string(keys.streamPrefix), 500] + ids.map { .string($0) })
        return Int(reply.integer ?? 0)
    }

    public func purgeDead() async throws -> Int {
        Int(try await redis.run(RedisJobScripts.purgeDead, keys: [keys.dead, keys.deadIndex]).integer ?? 0)
    }
}
