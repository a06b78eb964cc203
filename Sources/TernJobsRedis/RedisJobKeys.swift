/// The keys of the Redis backend, all under one prefix (`tern:jobs:` by default).
struct RedisJobKeys: Sendable {
    let prefix: String

    /// The consumer group every worker reads the streams through.
    let group = "workers"

    /// The stream of a queue's ready jobs.
    func stream(_ queue: String) -> String { streamPrefix + queue }
    var streamPrefix: String { prefix + "queue:" }
    /// Delayed jobs and retries, scored by when they are due.
    var delayed: String { prefix + "delayed" }
    /// Dead jobs by id, and their ids scored by when they died.
    var dead: String { prefix + "dead" }
    var deadIndex: String { prefix + "dead:index" }
    /// The names of the queues jobs were ever enqueued to.
    var queues: String { prefix + "queues" }
    func unique(_ key: String) -> String { uniquePrefix + key }
    var uniquePrefix: String { prefix + "unique:" }
    func tick(_ schedule: String, _ tick: Int64) -> String { prefix + "tick:" + schedule + ":" + String(tick) }
    /// A key never written, passed where a script takes a key it will not use this time.
    var unused: String { prefix + "unused" }
}
