import Foundation
import Logging
import Synchronization
import TernDatabase
import TestSupport
import Testing

@testable import TernJobs

@Suite("Jobs: delivery on every backend", .timeLimit(.minutes(3)))
struct JobDeliveryTests {
    @Test("every job runs once and leaves the queue", arguments: JobsBackend.allCases)
    func runsEveryJob(_ kind: JobsBackend) async throws {
        try await JobsHarness.with(kind) { harness in
            let journal = Journal()
            var registry = JobRegistry(services: journal)
            registry.register(Greeting.self) { job, context in context.services.record(job.text) }
            try await harness.queue.enqueue((0..<200).map { Greeting(text: "hello \($0)") })
            try await harness.withWorker(registry.handlers) { _ in
                // A bound for a machine that runs the whole suite at once (SQLite's writer is then
                // much in demand); alone, the 200 jobs take a second or two.
                try await eventually(within: 150) { journal.all.count >= 200 }
                try await eventually { try await harness.backend.stats().allSatisfy { $0.queued == 0 && $0.running == 0 } }
            }
            #expect(Set(journal.all) == Set((0..<200).map { "hello \($0)" }))
            #expect(journal.all.count == 200)
        }
    }

    @Test(
        "a failing job is retried with backoff, dead-lettered after its attempts, and runs again when retried",
        arguments: JobsBackend.allCases)
    func retriesThenDeadLetters(_ kind: JobsBackend) async throws {
        try await JobsHarness.with(kind) { harness in
            let journal = Journal()
            let healed = Journal()
            var registry = JobRegistry(services: journal)
            registry.register(AlwaysFails.self) { job, context in
                context.services.record("attempt \(context.attempt)")
                guard !healed.all.isEmpty else { throw TestFailure(reason: "SMTP server down") }
            }
            let id = try await harness.queue.enqueue(AlwaysFails(text: "x"), options: JobOptions(maxAttempts: 3))
            try await harness.withWorker(registry.handlers) { _ in
                try await eventually { try await harness.backend.list(.dead, queue: nil, limit: 10).count == 1 }
                let dead = try await harness.backend.list(.dead, queue: nil, limit: 10)
                #expect(dead.map(\.id) == [id])
                #expect(dead.first?.attempt == 3)
                #expect(dead.first?.lastError?.contains("SMTP server down") == true)
                #expect(journal.all == ["attempt 1", "attempt 2", "attempt 3"])

                healed.record("fixed")
                #expect(try await harness.backend.retryDead(id: id))
                #expect(try await harness.backend.retryDead(id: id) == false)
                try await eventually { journal.all.count == 4 }
                try await eventually { try await harness.backend.stats().allSatisfy { $0.queued == 0 && $0.running == 0 && $0.dead == 0 } }
            }
            #expect(journal.all.last == "attempt 1")
        }
    }

    @Test("a permanent failure is dead-lettered at once; retry and purge of all dead jobs", arguments: JobsBackend.allCases)
    func permanentFailure(_ kind: JobsBackend) async throws {
        try await JobsHarness.with(kind) { harness in
            let journal = Journal()
            var registry = JobRegistry(services: journal)
            registry.register(AlwaysFails.self) { job, context in
                context.services.record(job.text)
                throw JobFailure.permanent("bad address")
            }
            try await harness.queue.enqueue([AlwaysFails(text: "a"), AlwaysFails(text: "b")])
            try await harness.withWorker(registry.handlers) { _ in
                try await eventually { try await harness.backend.list(.dead, queue: nil, limit: 10).count == 2 }
                #expect(journal.all.sorted() == ["a", "b"])
                #expect(try await harness.backend.list(.dead, queue: nil, limit: 10).allSatisfy { $0.attempt == 1 })
                #expect(try await harness.backend.retryAllDead() == 2)
                try await eventually { try await harness.backend.list(.dead, queue: nil, limit: 10).count == 2 && journal.all.count == 4 }
            }
            #expect(try await harness.backend.purgeDead() == 2)
            #expect(try await harness.backend.list(.dead, queue: nil, limit: 10).isEmpty)
        }
    }

    @Test("a delayed job does not run before its time, then runs", arguments: JobsBackend.allCases)
    func delayedJob(_ kind: JobsBackend) async throws {
        try await JobsHarness.with(kind) { harness in
            let journal = Journal()
            let ranAt = Mutex<[String: Date]>([:])
            var registry = JobRegistry(services: journal)
            registry.register(Greeting.self) { job, context in
                ranAt.withLock { $0[job.text] = Date() }
                context.services.record(job.text)
            }
            let enqueued = Date()
            try await harness.queue.enqueue(Greeting(text: "later"), options: .runIn(.seconds(2)))
            try await harness.queue.enqueue(Greeting(text: "now"))
            try await harness.withWorker(registry.handlers) { _ in
                try await eventually { journal.all.contains("now") }
                if Date().timeIntervalSince(enqueued) < 1.5 {
                    #expect(try await harness.backend.list(.queued, queue: nil, limit: 10).map(\.name) == ["greeting"])
                }
                try await eventually { journal.all.count == 2 }
            }
            #expect(Set(journal.all) == ["now", "later"])
            let later = try #require(ranAt.withLock { $0["later"] })
            #expect(
                later.timeIntervalSince(enqueued) >= 1.99,
                "the delayed job ran \(later.timeIntervalSince(enqueued)) s after it was enqueued")
        }
    }

    @Test("a unique key enqueues one job while it waits, and a new one once it finished", arguments: JobsBackend.allCases)
    func uniqueJobs(_ kind: JobsBackend) async throws {
        try await JobsHarness.with(kind) { harness in
            let journal = Journal()
            var registry = JobRegistry(services: journal)
            registry.register(Greeting.self) { job, context in context.services.record(job.text) }
            let first = try await harness.queue.enqueue(Greeting(text: "first"), options: .unique("digest:42"))
            let second = try await harness.queue.enqueue(Greeting(text: "second"), options: .unique("digest:42"))
            #expect(first == second)
            try await harness.withWorker(registry.handlers) { _ in
                try await eventually { journal.all == ["first"] }
                try await eventually { try await harness.backend.stats().allSatisfy { $0.queued == 0 && $0.running == 0 } }
                let third = try await harness.queue.enqueue(Greeting(text: "third"), options: .unique("digest:42"))
                #expect(third != first)
                try await eventually { journal.all == ["first", "third"] }
            }
        }
    }

    @Test("enqueued in a transaction: nothing runs if it rolls back, the job runs once it commits", arguments: JobsBackend.allCases)
    func transactionalEnqueue(_ kind: JobsBackend) async throws {
        try await JobsHarness.with(kind) { harness in
            let journal = Journal()
            var registry = JobRegistry(services: journal)
            registry.register(Greeting.self) { job, context in context.services.record(job.text) }
            try await harness.withWorker(registry.handlers) { _ in
                let rolledBack = DatabaseSession(database: harness.database, mode: .unitOfWork)
                try await harness.queue.enqueue(Greeting(text: "rolled back"), in: rolledBack)
                await rolledBack.rollback()
                struct Abort: Error {}
                _ = try? await harness.database.transaction { transaction in
                    try await harness.queue.enqueue(Greeting(text: "aborted"), in: transaction)
                    throw Abort()
                }
                let committed = DatabaseSession(database: harness.database, mode: .unitOfWork)
                try await harness.queue.enqueue(Greeting(text: "committed"), in: committed)
                try await committed.commit()
                try await eventually { journal.all == ["committed"] }
                // Time enough for a wrongly enqueued job to have run too.
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(journal.all == ["committed"])
            #expect(try await harness.database.query("SELECT count(*) FROM tern_job_outbox", as: Int.self) == [0])
        }
    }

    @Test("a periodic tick is enqueued once however many processes try", arguments: JobsBackend.allCases)
    func oncePerTick(_ kind: JobsBackend) async throws {
        try await JobsHarness.with(kind) { harness in
            let envelopes = (0..<3).map { _ in try! harness.queue.envelope(Greeting(text: "tick"), JobOptions()) }
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for envelope in envelopes {
                    group.addTask { try await harness.backend.enqueueOnce(envelope, schedule: "digest", tick: 1_700_000_040) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count { $0 } == 1)
            let thisMinute = Int64(Date().timeIntervalSince1970 / 60) * 60
            let next = try harness.queue.envelope(Greeting(text: "tick"), JobOptions())
            #expect(try await harness.backend.enqueueOnce(next, schedule: "digest", tick: thisMinute))
            #expect(try await harness.backend.list(.queued, queue: nil, limit: 10).count == 2)
            // Housekeeping forgets only ticks older than its retention, so this minute's stays claimed.
            try await harness.backend.maintain()
            let again = try harness.queue.envelope(Greeting(text: "tick"), JobOptions())
            #expect(try await !harness.backend.enqueueOnce(again, schedule: "digest", tick: thisMinute))
        }
    }

    @Test("three workers on a cron schedule run its job once per tick", .timeLimit(.minutes(3)), arguments: JobsBackend.allCases)
    func cronOncePerTickWithThreeWorkers(_ kind: JobsBackend) async throws {
        try await JobsHarness.with(kind) { harness in
            let journal = Journal()
            var registry = JobRegistry(services: journal)
            registry.register(Greeting.self) { job, context in context.services.record(job.text) }
            try registry.schedule(Greeting(text: "every minute"), cron: "* * * * *")
            let firstMinute = Int(Date().timeIntervalSince1970) / 60
            try await harness.withWorker(registry.handlers) { _ in
                try await harness.withWorker(registry.handlers) { _ in
                    try await harness.withWorker(registry.handlers) { _ in
                        // The minute the workers started in is a tick.
                        try await eventually { journal.all.count >= 1 }
                        try await Task.sleep(for: .seconds(2))
                    }
                }
            }
            // Once per minute the workers were up, however many workers tried: three would have run
            // it three times a minute.
            let minutes = Int(Date().timeIntervalSince1970) / 60 - firstMinute + 1
            #expect((1...minutes).contains(journal.all.count))
        }
    }

    @Test("a job that outlives its timeout fails and is retried", arguments: [JobsBackend.sqlite, .redis])
    func timeout(_ kind: JobsBackend) async throws {
        struct Slow: Job {
            static let name = "slow"
            static let timeout: Duration? = .milliseconds(200)
        }
        try await JobsHarness.with(kind) { harness in
            let journal = Journal()
            var registry = JobRegistry(services: journal)
            registry.register(Slow.self) { _, context in
                context.services.record("attempt \(context.attempt)")
                if context.attempt == 1 { try await Task.sleep(for: .seconds(60)) }
            }
            try await harness.queue.enqueue(Slow())
            try await harness.withWorker(registry.handlers) { _ in
                try await eventually { journal.all == ["attempt 1", "attempt 2"] }
                try await eventually { try await harness.backend.stats().allSatisfy { $0.queued == 0 && $0.running == 0 } }
            }
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

extension JobDeliveryTests {
    struct Urgent: Job {
        static let name = "urgent"
        static let queue = JobQueueName("urgent", priority: 10)
        var index: Int
    }

    struct Routine: Job {
        static let name = "routine"
        static let queue = JobQueueName("routine", priority: -10)
        var index: Int
    }

    @Test(
        "a worker takes the waiting jobs of a higher-priority queue first, and never more than its concurrency",
        arguments: JobsBackend.allCases)
    func queuePriorities(_ kind: JobsBackend) async throws {
        try await JobsHarness.with(kind) { harness in
            let journal = Journal()
            let running = Mutex((now: 0, most: 0))
            var registry = JobRegistry(services: journal)
            registry.register(Urgent.self) { job, context in context.services.record("urgent \(job.index)") }
            registry.register(Routine.self) { job, context in
                running.withLock {
                    $0.now += 1
                    $0.most = max($0.most, $0.now)
                }
                defer { running.withLock { $0.now -= 1 } }
                context.services.record("routine \(job.index)")
                try await Task.sleep(for: .milliseconds(5))
            }
            try await harness.queue.enqueue((0..<5).map(Routine.init))
            try await harness.queue.enqueue((0..<5).map(Urgent.init))
            try await harness.withWorker(registry.handlers, configuration: .forTests(concurrency: 1)) { _ in
                try await eventually { journal.all.count >= 10 }
                if journal.all.count < 10 {
                    // Where the jobs not run are, while the worker still runs.
                    var left: [JobSummary] = []
                    for state in JobState.allCases {
                        left += try await harness.backend.list(state, queue: nil, limit: 10)
                    }
                    Issue.record("ran \(journal.all); not run: \(left.map { "\($0.name) \($0.state) attempt \($0.attempt)" })")
                }
            }
            // Said apart from the wait, with the entries: a job run twice shows as an eleventh.
            #expect(journal.all.count == 10, "\(journal.all)")
            #expect(journal.all.prefix(5).allSatisfy { $0.hasPrefix("urgent") }, "\(journal.all)")
            #expect(journal.all.filter { $0.hasPrefix("routine") } == (0..<5).map { "routine \($0)" })
            #expect(running.withLock { $0.most } == 1)
        }
    }
}
