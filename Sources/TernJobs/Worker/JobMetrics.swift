import Metrics
import TernPrimitives

/// The worker's metrics (swift-metrics; exported by whatever backend the process bootstraps):
/// jobs processed, failed, retried and dead-lettered by queue and job, run time, and per queue the
/// depth and the age of the oldest waiting job.
struct JobMetrics: Sendable {
    func processed(_ job: ClaimedJob, duration: Duration) {
        Counter(label: "tern_jobs_processed_total", dimensions: dimensions(job)).increment()
        Metrics.Timer(label: "tern_jobs_run_duration", dimensions: dimensions(job)).recordNanoseconds(duration.wholeNanoseconds)
    }

    func failed(_ job: ClaimedJob, dead: Bool) {
        Counter(label: "tern_jobs_failed_total", dimensions: dimensions(job)).increment()
        Counter(label: dead ? "tern_jobs_dead_total" : "tern_jobs_retried_total", dimensions: dimensions(job)).increment()
    }

    func record(_ stats: [QueueStats]) {
        for queue in stats {
            let dimensions = [("queue", queue.queue)]
            Gauge(label: "tern_jobs_queued", dimensions: dimensions).record(queue.queued)
            Gauge(label: "tern_jobs_running", dimensions: dimensions).record(queue.running)
            Gauge(label: "tern_jobs_dead", dimensions: dimensions).record(queue.dead)
            Gauge(label: "tern_jobs_oldest_age_seconds", dimensions: dimensions).record(Double(queue.oldestAgeMilliseconds) / 1000)
        }
    }

    private func dimensions(_ job: ClaimedJob) -> [(String, String)] {
        [("queue", job.envelope.queue), ("job", job.envelope.name)]
    }
}
