import Foundation

// Jobs benchmark: no-op jobs through Tern's job queue on one backend (Redis Streams, the PostgreSQL
// or the SQLite jobs table), measured as Benchmarks/jobs-peers measures arq, RQ and Celery:
//   1. drain: JOBS jobs enqueued in one batch, then the workers started and timed until the
//      backend's stats show nothing queued or running;
//   2. concurrent: with the workers running, from the first of JOBS more enqueues (batches of 1000)
//      until nothing is queued or running;
//   3. latency: workers idle, LATENCY_JOBS (500) jobs enqueued one at a time at LATENCY_RATE (200/s),
//      each carrying its enqueue time; the handler records now minus it: p50 and p99.
// A warm-up round (2000 jobs, drain only) opens the connections first, as the peers' workers are
// started and ready before their drain is timed. Prints a line per round and figure, then
// `RESULT tern-BACKEND METRIC VALUE` for the best round (the peers' format).
//
// Usage: JobsBenchmark redis|postgres|sqlite LOCATION [JOBS] [ROUNDS]
//   LOCATION: redis://host:port/db (FLUSHDB each round), postgres://... (its tern_job table is
//   emptied; migrations applied), or a SQLite file path (created and migrated).
// Environment: WORKERS (JobWorker instances, default 1: what `worker run` starts in a process),
//   CONCURRENCY (jobs each runs at once, default 128: WORKER_CONCURRENCY), PHASES ("drain concurrent
//   latency"), LATENCY_JOBS, LATENCY_RATE, REDIS_CONNECTIONS, BENCH_TIMEOUT (seconds, 300),
//   BENCH_ROUND (the first round's number, 1).
// The workers run in this process, as the driver does: one Swift process uses every core (a
// cooperative thread and an event loop per core), where a Python worker needs a process per core.
// Benchmarks/run-jobs-benchmark starts the servers and runs this beside the Python peers.

let usage = "usage: JobsBenchmark redis|postgres|sqlite LOCATION [JOBS] [ROUNDS]\n"
let arguments = CommandLine.arguments
guard arguments.count >= 3, let kind = BenchmarkBackend.Kind(rawValue: arguments[1]) else {
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}
let jobs = arguments.count > 3 ? Int(arguments[3]) ?? 20_000 : 20_000
let rounds = arguments.count > 4 ? Int(arguments[4]) ?? 1 : 1
let layout = WorkerLayout(
    instances: max(1, Settings.integer("WORKERS", default: 1)), concurrency: max(1, Settings.integer("CONCURRENCY", default: 128)))
let phases = Settings.words("PHASES", default: "drain concurrent latency")
let name = "tern-\(kind.rawValue)"

let target = try await BenchmarkBackend.open(kind, location: arguments[2])
say("\(name): \(jobs) jobs, \(rounds) round(s), \(ProcessInfo.processInfo.activeProcessorCount) cores; \(layout)")
_ = try await Round(target: target, layout: layout, label: "warm-up \(name)").run(jobs: min(jobs, 2000), phases: ["drain"])
var results: [[String: Double]] = []
// BENCH_ROUND numbers the rounds from there (run-jobs-benchmark runs one round at a time).
let firstRound = Settings.integer("BENCH_ROUND", default: 1)
for round in firstRound..<firstRound + max(1, rounds) {
    results.append(try await Round(target: target, layout: layout, label: "round \(round) \(name)").run(jobs: jobs, phases: phases))
}
try await target.empty()
await target.close()

// The best round per figure: the highest rate, the lowest latency.
for metric in ["drain_jobs_per_s", "concurrent_jobs_per_s", "latency_p50_ms", "latency_p99_ms"] {
    let values = results.compactMap { $0[metric] }
    guard !values.isEmpty else { continue }
    if metric.hasSuffix("per_s") {
        say("RESULT \(name) \(metric) \(format(values.max()!, 0))")
    } else {
        say("RESULT \(name) \(metric) \(format(values.min()!))")
    }
}
