/// A job enqueued on every tick of a cron schedule (see ``JobRegistry/schedule(_:cron:name:)``).
struct PeriodicJob: Sendable {
    /// Names the schedule: one job per (name, tick) across all workers.
    let name: String
    let schedule: CronSchedule
    let queue: JobQueueName
    let jobName: String
    let payload: String
}
