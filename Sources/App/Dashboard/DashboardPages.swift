import Foundation
import Mustache
import TernJobs

/// The jobs dashboard's HTML pages, rendered from the Mustache templates in `Dashboard/Templates`,
/// which are compiled into the binary and parsed once, when the services are built (a mistake in one
/// stops the start, not a page).
///
/// Every value goes through `{{ }}`, which escapes HTML: job names and errors may hold anything, and
/// the page must show it as text. The templates have no triple mustaches, and must keep none.
struct DashboardPages: Sendable {
    private let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        for (name, bytes) in Self.sources {
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        self.library = library
    }

    /// The sign-in form.
    func signIn(_ page: DashboardSignInPage) -> String {
        library.render(page, withTemplate: "dashboard_sign_in") ?? ""
    }

    /// The queues and their jobs, with the forms that repair them.
    func jobs(_ page: DashboardJobsPage) -> String {
        library.render(page, withTemplate: "dashboard_jobs") ?? ""
    }

    /// The templates by the names partials use, as SwiftPM embedded them.
    private static let sources: [(String, [UInt8])] = [
        ("dashboard_header", PackageResources.dashboard_header_html_mustache),
        ("dashboard_footer", PackageResources.dashboard_footer_html_mustache),
        ("dashboard_notice", PackageResources.dashboard_notice_html_mustache),
        ("dashboard_job", PackageResources.dashboard_job_html_mustache),
        ("dashboard_sign_in", PackageResources.dashboard_sign_in_html_mustache),
        ("dashboard_jobs", PackageResources.dashboard_jobs_html_mustache),
    ]
}

// MARK: What the templates read
//
// Plain values the templates read by property name (Mustache looks them up by reflection), with
// everything formatted here: the templates only place text.

/// A notice at the top of a page (``DashboardNotice``).
struct DashboardNoticeView: Sendable {
    let message: String
    let isError: Bool

    init(_ notice: DashboardNotice, count: Int?) {
        message = notice.message(count: count)
        isError = notice.isError
    }
}

/// The sign-in page.
struct DashboardSignInPage: Sendable {
    let projectName: String
    /// The dashboard's path, which the form posts under.
    let base: String
    let notice: DashboardNoticeView?
}

/// The dashboard itself.
struct DashboardJobsPage: Sendable {
    let projectName: String
    /// The dashboard's path, which the forms post under.
    let base: String
    /// The signed-in superuser's email.
    let userEmail: String
    /// What every form carries (``DashboardSession/csrfToken``).
    let csrfToken: String
    let notice: DashboardNoticeView?
    let generatedAt: String
    let queues: [Queue]
    let hasQueues: Bool
    let running: JobList
    let retrying: JobList
    let dead: JobList

    /// One queue's figures.
    struct Queue: Sendable {
        let name: String
        let queued: Int
        let running: Int
        let dead: Int
        /// How long the oldest due job has waited; a dash when none waits.
        let oldestAge: String
    }

    /// Jobs in one state, as many as were fetched, and how many there are.
    struct JobList: Sendable {
        let jobs: [Job]
        let hasJobs: Bool
        /// "3", or "50 of 120" when not all are shown.
        let count: String

        init(_ jobs: [JobSummary], total: Int, now: Int64) {
            self.jobs = jobs.map { Job($0, now: now) }
            hasJobs = !jobs.isEmpty
            count = jobs.count < total ? "\(jobs.count) of \(total)" : "\(jobs.count)"
        }
    }

    /// One job.
    struct Job: Sendable {
        let id: String
        let name: String
        let queue: String
        /// Attempts made, of those allowed ("2 of 5").
        let attempts: String
        let runAt: String
        let enqueuedAt: String
        let lastError: String?

        init(_ job: JobSummary, now: Int64) {
            id = job.id
            name = job.name
            queue = job.queue
            attempts = "\(job.attempt) of \(job.maxAttempts)"
            runAt = DashboardFormat.time(job.runAt, now: now)
            enqueuedAt = DashboardFormat.time(job.enqueuedAt, now: now)
            lastError = job.lastError
        }
    }

    init(
        overview: JobsOverview, projectName: String, base: String, userEmail: String, csrfToken: String,
        notice: DashboardNoticeView?, now: Int64
    ) {
        self.projectName = projectName
        self.base = base
        self.userEmail = userEmail
        self.csrfToken = csrfToken
        self.notice = notice
        generatedAt = DashboardFormat.time(now, now: nil)
        queues = overview.queues.map { stats in
            Queue(
                name: stats.queue, queued: stats.queued, running: stats.running, dead: stats.dead,
                oldestAge: stats.oldestAgeMilliseconds > 0 ? DashboardFormat.duration(stats.oldestAgeMilliseconds) : "–")
        }
        hasQueues = !queues.isEmpty
        running = JobList(overview.running, total: overview.queues.reduce(0) { $0 + $1.running }, now: now)
        // The figures do not count these apart from other waiting jobs.
        retrying = JobList(overview.retrying, total: overview.retrying.count, now: now)
        dead = JobList(overview.dead, total: overview.queues.reduce(0) { $0 + $1.dead }, now: now)
    }
}

/// How the dashboard writes times: UTC to the second, with how long ago (or how soon) beside.
enum DashboardFormat {
    /// `2025-06-01 12:34:56 UTC (3 min ago)`; without `now`, the time alone.
    static func time(_ milliseconds: Int64, now: Int64?) -> String {
        let date = Date(millisecondsSince1970: milliseconds)
        let text =
            date.formatted(
                .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
                    .timeSeparator(.colon).dateTimeSeparator(.space)) + " UTC"
        guard let now else { return text }
        let offset = milliseconds - now
        if abs(offset) < 1000 { return text + " (now)" }
        return text + (offset > 0 ? " (in \(duration(offset)))" : " (\(duration(-offset)) ago)")
    }

    /// `850 ms`, `12 s`, `5 min`, `3 h`, `2 d`: the largest unit that fits, rounded down.
    static func duration(_ milliseconds: Int64) -> String {
        switch milliseconds {
        case ..<1000: "\(milliseconds) ms"
        case ..<60_000: "\(milliseconds / 1000) s"
        case ..<3_600_000: "\(milliseconds / 60_000) min"
        case ..<86_400_000: "\(milliseconds / 3_600_000) h"
        default: "\(milliseconds / 86_400_000) d"
        }
    }
}
