import Foundation
import TernAPI
import TernJobs

// The job queue as the jobs endpoints show it to superusers: what waits, runs and died, per queue.
// Times are dates, as elsewhere in the API; the queue's figures keep the backend's milliseconds.

/// Where a job is in its life: waiting to run (`queued`), claimed by a worker (`running`), or out of
/// attempts in the dead-letter set (`dead`).
enum JobStatePublic: String, APIEnum {
    case queued, running, dead

    static var schemaName: String { "JobState" }

    init(_ state: JobState) {
        switch state {
        case .queued: self = .queued
        case .running: self = .running
        case .dead: self = .dead
        }
    }

    var state: JobState {
        switch self {
        case .queued: .queued
        case .running: .running
        case .dead: .dead
        }
    }
}

/// A job as the jobs endpoints show it: never its payload, which may hold personal data.
@Schema
struct JobPublic {
    var id: String
    /// The job's type, as its handler is registered.
    var name: String
    var queue: String
    var state: JobStatePublic
    /// Attempts made so far (for a running job, including this one).
    var attempt: Int
    var maxAttempts: Int
    /// When it may run (a waiting job), or when it last became due.
    var runAt: Date
    var enqueuedAt: Date
    /// Why the last attempt failed, when one did.
    var lastError: String?
}

extension JobPublic {
    init(_ job: JobSummary) {
        self.init(
            id: job.id, name: job.name, queue: job.queue, state: JobStatePublic(job.state), attempt: job.attempt,
            maxAttempts: job.maxAttempts, runAt: Date(millisecondsSince1970: job.runAt),
            enqueuedAt: Date(millisecondsSince1970: job.enqueuedAt), lastError: job.lastError)
    }
}

/// Jobs in one state, oldest due first.
@Schema
struct JobsPublic {
    var data: [JobPublic]
}

/// The figures of one queue.
@Schema
struct QueueStatsPublic {
    var queue: String
    /// Waiting to run, due or delayed.
    var queued: Int
    var running: Int
    var dead: Int
    /// Age in milliseconds of the oldest job due and waiting; 0 when none waits.
    var oldestAgeMs: Int
}

extension QueueStatsPublic {
    init(_ stats: QueueStats) {
        self.init(
            queue: stats.queue, queued: stats.queued, running: stats.running, dead: stats.dead,
            oldestAgeMs: Int(stats.oldestAgeMilliseconds))
    }
}

/// The figures of every queue that holds jobs, by name.
@Schema
struct QueuesStatsPublic {
    var data: [QueueStatsPublic]
}

/// How many jobs an operation on the dead-letter set retried or purged.
@Schema
struct JobsCount {
    var count: Int
}

extension Date {
    /// A time of the job tables: milliseconds since 1970.
    init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
