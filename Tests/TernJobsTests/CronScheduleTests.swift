import Foundation
import Logging
import Testing

@testable import TernJobs

@Suite("Cron schedules")
struct CronScheduleTests {
    private func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }

    @Test("fields: lists, ranges, steps, names, and Sunday as 0 or 7")
    func parsing() throws {
        let schedule = try CronSchedule("0,30 9-17/4 * jan-mar mon,fri")
        #expect(schedule.minutes == [0, 30])
        #expect(schedule.hours == [9, 13, 17])
        #expect(schedule.months == [1, 2, 3])
        #expect(schedule.daysOfWeek == [1, 5])
        #expect(try CronSchedule("* * * * 7").daysOfWeek == [0])
        #expect(try CronSchedule("5/15 * * * *").minutes == [5, 20, 35, 50])
    }

    @Test(
        "expressions that do not parse say which field and why",
        arguments: ["* * * *", "60 * * * *", "* 5-1 * * *", "*/0 * * * *", "* * * foo *"])
    func invalid(_ expression: String) {
        #expect(throws: CronSchedule.InvalidExpression.self) { try CronSchedule(expression) }
    }

    @Test("the next tick, in UTC, across hours, days and months")
    func nextTick() throws {
        #expect(try CronSchedule("*/15 * * * *").nextTick(after: date("2026-12-01T10:14:59Z")) == date("2026-12-01T10:15:00Z"))
        #expect(try CronSchedule("*/15 * * * *").nextTick(after: date("2026-12-01T10:15:00Z")) == date("2026-12-01T10:30:00Z"))
        #expect(try CronSchedule("0 0 1 * *").nextTick(after: date("2026-12-15T08:00:00Z")) == date("2027-01-01T00:00:00Z"))
        #expect(try CronSchedule("0 0 30 2 *").nextTick(after: date("2026-01-01T00:00:00Z")) == nil)
    }

    @Test("both day fields restricted: either matches, as in Vixie cron")
    func dayFields() throws {
        let schedule = try CronSchedule("0 12 13 * fri")
        #expect(schedule.matches(date("2026-11-13T12:00:00Z")))  // the 13th (a Friday too)
        #expect(schedule.matches(date("2026-12-04T12:00:00Z")))  // a Friday
        #expect(schedule.matches(date("2026-10-13T12:00:00Z")))  // a Tuesday the 13th
        #expect(!schedule.matches(date("2026-12-05T12:00:00Z")))
        #expect(try CronSchedule("0 12 * * fri").matches(date("2026-12-04T12:00:00Z")))
        #expect(try !CronSchedule("0 12 * * fri").matches(date("2026-12-05T12:00:00Z")))
    }
}

@Suite("Retries and payloads")
struct RetryAndPayloadTests {
    @Test("backoff doubles per attempt within [ceiling/2, ceiling], capped")
    func backoff() {
        let policy = RetryPolicy(base: .seconds(1), maximum: .seconds(60))
        for _ in 0..<200 {
            #expect((Duration.milliseconds(500)...Duration.seconds(1)).contains(policy.delay(afterAttempt: 1)))
            #expect((Duration.seconds(4)...Duration.seconds(8)).contains(policy.delay(afterAttempt: 4)))
            #expect((Duration.seconds(30)...Duration.seconds(60)).contains(policy.delay(afterAttempt: 40)))
        }
        // Jitter: not every delay is the same.
        #expect(Set((0..<50).map { _ in policy.delay(afterAttempt: 5) }).count > 1)
    }

    struct Welcome: Job {
        static let name = "welcome"
        var userID: String
        var locale: String?
    }

    @Test("a payload from an older or newer version of the job decodes: missing optional fields, unknown fields ignored")
    func payloadVersions() async throws {
        let received = Journal()
        var registry = JobRegistry(services: received)
        registry.register(Welcome.self) { job, context in context.services.record("\(job.userID) \(job.locale ?? "-")") }
        let handler = try #require(registry.handlers.entries["welcome"])
        for payload in [#"{"userID":"u1"}"#, #"{"userID":"u2","locale":"fr","removedField":true}"#] {
            let envelope = JobEnvelope(
                id: "j", name: "welcome", queue: "default", priority: 0, payload: payload, attempt: 0, maxAttempts: 1,
                timeoutMilliseconds: nil, uniqueKey: nil, runAt: 0, enqueuedAt: 0)
            try await handler.run(ClaimedJob(envelope: envelope, attempt: 1), .init(label: "test"))
        }
        #expect(received.all == ["u1 -", "u2 fr"])
        let broken = JobEnvelope(
            id: "j", name: "welcome", queue: "default", priority: 0, payload: #"{"locale":"fr"}"#, attempt: 0, maxAttempts: 1,
            timeoutMilliseconds: nil, uniqueKey: nil, runAt: 0, enqueuedAt: 0)
        let error = await #expect(throws: JobFailure.self) {
            try await handler.run(ClaimedJob(envelope: broken, attempt: 1), .init(label: "test"))
        }
        #expect(error?.isPermanent == true)
    }
}
