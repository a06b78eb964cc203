import Foundation
import TernAPI
import TernPrimitives

@Input
struct ReadJobStatsInput {
    @Depends var jobs: JobsService
}

@Input
struct ReadJobsInput {
    /// Which jobs: waiting, running, or dead.
    @Query var state: JobStatePublic = .queued
    /// Only the jobs of this queue (no control characters, as queue names have none).
    @Query(maxLength: 100, pattern: "^[^\\x00-\\x1f\\x7f]+$") var queue: String?
    @Query(ge: 1, le: 1000) var limit: Int = 100
    @Depends var jobs: JobsService
}

@Input
struct RetryJobInput {
    // Job ids are UUIDs; typed, the path also never reads `dead` (`/jobs/dead/retry` is its own route).
    @Path var id: UUID
    @Depends var jobs: JobsService
}

@Input
struct DeadJobsInput {
    @Depends var jobs: JobsService
}

/// The job queue, for superusers (tag `jobs`): figures per queue, the jobs in each state, and the
/// dead-letter set's repair. What `worker jobs ...` does from a shell; the dashboard
/// (``JobsDashboardRouter``) shows the same in a browser.
@APIRouter(prefix: "/jobs", tags: ["jobs"], dependencies: [CurrentSuperuser.self], scopes: [.jobsManage])
struct JobsRouter {
    /// Jobs waiting, running and dead in each queue, with the age of the oldest waiting one.
    @GET("/stats")
    func readJobStats(_ input: ReadJobStatsInput) async throws -> QueuesStatsPublic {
        QueuesStatsPublic(data: try await input.jobs.stats().map(QueueStatsPublic.init))
    }

    /// Jobs in one state, oldest due first.
    @GET("/")
    func readJobs(_ input: ReadJobsInput) async throws -> JobsPublic {
        JobsPublic(data: try await input.jobs.list(input.state.state, queue: input.queue, limit: input.limit).map(JobPublic.init))
    }

    /// Put a dead job back in its queue, with fresh attempts.
    @POST("/{id}/retry", errors: [JobError.notFound])
    func retryJob(_ input: RetryJobInput) async throws -> Message {
        try await input.jobs.retryDead(id: input.id.lowercasedString)
        return Message(message: "Job retried")
    }

    /// Put every dead job back in its queue, with fresh attempts.
    @POST("/dead/retry")
    func retryDeadJobs(_ input: DeadJobsInput) async throws -> JobsCount {
        JobsCount(count: try await input.jobs.retryAllDead())
    }

    /// Delete every dead job.
    @DELETE("/dead")
    func purgeDeadJobs(_ input: DeadJobsInput) async throws -> JobsCount {
        JobsCount(count: try await input.jobs.purgeDead())
    }
}
