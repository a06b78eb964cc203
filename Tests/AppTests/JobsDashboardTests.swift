import Foundation
import HTTPTypes
import TernJobs
import TestSupport
import Testing

@testable import App
@testable import TernAPI

/// Where the jobs of a test app wait: the database's jobs table (SQLite or PostgreSQL), or Redis
/// Streams on a server of the test's own (the tests purge the dead-letter set, which a shared server
/// would share with other tests).
enum JobStore: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres, redis
    var testDescription: String { rawValue }

    /// Runs `body` with a test app whose jobs live here.
    func run(environment: [String: String] = [:], _ body: @Sendable @escaping (TestClient, TestApp) async throws -> Void) async throws {
        switch self {
        case .sqlite: try await TestApp.run(.sqlite, environment: environment, body)
        case .postgres: try await TestApp.run(.postgres, environment: environment, body)
        case .redis:
            try await RedisTestServer.with { server in
                let redis = ["REDIS_URL": server.url, "JOBS_BACKEND": "redis"]
                try await TestApp.run(.sqlite, environment: environment.merging(redis) { $1 }, body)
            }
        }
    }
}

/// Jobs put where a test needs them, through the backend: the test app's worker serves the `emails`
/// queue only, so jobs of other queues stay where they are put.
struct JobFixtures {
    let backend: any JobBackend

    init(_ app: TestApp) {
        backend = app.services.jobs.backend
    }

    /// Enqueues a job as given (a JSON envelope, since `JobEnvelope` keeps its initializer to itself).
    @discardableResult
    func enqueue(
        name: String, queue: String, attempt: Int = 0, maxAttempts: Int = 3, runAt: Int64 = currentMilliseconds(),
        lastError: String? = nil
    ) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let envelope: JSONValue = [
            "id": .string(id), "name": .string(name), "queue": .string(queue), "priority": 0, "payload": "{}",
            "attempt": .integer(Int64(attempt)), "max_attempts": .integer(Int64(maxAttempts)), "run_at": .integer(runAt),
            "enqueued_at": .integer(currentMilliseconds()), "last_error": lastError.map { .string($0) } ?? .null,
        ]
        _ = try await backend.enqueue([try JobEnvelope.decode(envelope.jsonText)])
        return id
    }

    /// A job of `queue` (which no worker serves) in the dead-letter set, failed with `error`.
    @discardableResult
    func dead(name: String = "reports.build", queue: String = "reports", error: String = "boom") async throws -> String {
        let id = try await enqueue(name: name, queue: queue)
        try await kill(queue: queue, error: error)
        return id
    }

    /// Claims the next job of `queue` and fails it for good, as a worker does.
    func kill(queue: String, error: String = "boom") async throws {
        let claimed = try await backend.claim(queues: [JobQueueName(queue)], limit: 1, worker: "test", wait: .milliseconds(100))
        let job = try #require(claimed.first, "a job to claim in \(queue)")
        try await backend.fail(job, worker: "test", error: error, retryAt: nil)
    }

    /// The ids of the jobs in `state`.
    func ids(_ state: JobState, queue: String? = nil) async throws -> [String] {
        try await backend.list(state, queue: queue, limit: 1000).map(\.id)
    }

    /// The job with `id` once it is in the dead-letter set (the worker puts it there); waits up to
    /// half a minute, then fails the test.
    func waitUntilDead(_ id: String) async throws -> JobSummary? {
        for _ in 0..<300 {
            if let job = try await backend.list(.dead, queue: nil, limit: 1000).first(where: { $0.id == id }) { return job }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("job \(id) never reached the dead-letter set")
        return nil
    }
}

@Suite("Jobs API", .timeLimit(.minutes(5)))
struct JobsAPITests {
    @Test("every jobs endpoint needs a superuser's bearer token: 401 without one, 403 for a user", arguments: Backend.allCases)
    func access(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "user@example.com")
            let user = try await client.login("user@example.com", "user-password")
            let calls: [(HTTPRequest.Method, String)] = [
                (.get, "/jobs/stats"), (.get, "/jobs/"), (.get, "/jobs/?state=dead"), (.post, "/jobs/\(UUID())/retry"),
                (.post, "/jobs/dead/retry"), (.delete, "/jobs/dead"),
            ]
            for (method, path) in calls {
                let anonymous = try await client.request(method, path)
                #expect(anonymous.status == 401, "\(method) \(path)")
                #expect(anonymous.detail == "Not authenticated")
                #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
                let forbidden = try await client.request(method, path, token: user)
                #expect(forbidden.status == 403, "\(method) \(path)")
                #expect(forbidden.detail == "The user doesn't have enough privileges")
            }
            let admin = try await client.superuserToken()
            for (method, path) in calls {
                let expected = path.hasPrefix("/jobs/dead") || method == .get ? 200 : 404  // no such dead job
                #expect(try await client.request(method, path, token: admin).status == expected, "\(method) \(path)")
            }
        }
    }

    @Test("a job the worker cannot run dies, then shows in the dead list and the figures", arguments: Backend.allCases)
    func workerDeadLetters(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let jobs = JobFixtures(app)
            // No handler has this name: the worker fails it, and with one attempt it dies at once.
            let id = try await jobs.enqueue(name: "unknown.job", queue: "emails", maxAttempts: 1)
            _ = try #require(try await jobs.waitUntilDead(id))
            let admin = try await client.superuserToken()

            let listed = try await client.get("/jobs/?state=dead&queue=emails", token: admin)
            #expect(listed.status == 200)
            let job = try #require(listed.json["data"]?.arrayValue?.first { $0["id"] == .string(id) })
            #expect(job["name"] == "unknown.job")
            #expect(job["queue"] == "emails")
            #expect(job["state"] == "dead")
            #expect(job["attempt"] == 1)
            #expect(job["max_attempts"] == 1)
            #expect(job["run_at"]?.stringValue != nil)
            #expect(job["enqueued_at"]?.stringValue != nil)
            #expect(job["last_error"]?.stringValue?.contains("no handler is registered for 'unknown.job'") == true)
            #expect(job["payload"] == nil, "payloads may hold personal data: never shown")

            let stats = try await client.get("/jobs/stats", token: admin)
            #expect(stats.status == 200)
            let emails = try #require(stats.json["data"]?.arrayValue?.first { $0["queue"] == "emails" })
            #expect(emails["dead"] == 1)
            #expect(emails["queued"] == 0)
            #expect(emails["running"] == 0)
            #expect(emails["oldest_age_ms"] == 0)
        }
    }

    @Test("jobs are listed by state and queue; one dead job or all are retried; the dead are purged", arguments: JobStore.allCases)
    func listRetryPurge(store: JobStore) async throws {
        try await store.run { client, app in
            let jobs = JobFixtures(app)
            let admin = try await client.superuserToken()
            // As a worker serving the queue would (on Redis, it creates the consumer group; see `unservedQueue`).
            #expect(
                try await jobs.backend.claim(queues: [JobQueueName("imports")], limit: 1, worker: "test", wait: .milliseconds(1)).isEmpty)
            let waiting = try await jobs.enqueue(name: "reports.build", queue: "imports", runAt: currentMilliseconds() - 5000)
            let first = try await jobs.dead(error: "disk full")
            let second = try await jobs.dead()

            let queued = try await client.get("/jobs/?queue=imports", token: admin)
            #expect(queued.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [waiting])
            #expect(queued.json["data"]?[0]?["state"] == "queued")
            let dead = try await client.get("/jobs/?state=dead", token: admin).json["data"]?.arrayValue ?? []
            #expect(Set(dead.compactMap { $0["id"]?.stringValue }) == [first, second])
            #expect(dead.first { $0["id"] == .string(first) }?["last_error"] == "disk full")
            #expect(try await client.get("/jobs/?state=dead&limit=1", token: admin).json["data"]?.arrayValue?.count == 1)
            #expect(try await client.get("/jobs/?state=dead&queue=imports", token: admin).json["data"]?.arrayValue?.isEmpty == true)

            try await Task.sleep(for: .milliseconds(20))
            let stats = try await client.get("/jobs/stats", token: admin).json["data"]?.arrayValue ?? []
            let imports = try #require(stats.first { $0["queue"] == "imports" })
            #expect(imports["queued"] == 1)
            // Due five seconds ago, enqueued just now: the database counts from the first, Redis from the second.
            #expect((imports["oldest_age_ms"]?.integerValue ?? 0) > 0)
            #expect(stats.first { $0["queue"] == "reports" }?["dead"] == 2)

            let retried = try await client.post("/jobs/\(first)/retry", token: admin)
            #expect(retried.status == 200)
            #expect(retried.json["message"] == "Job retried")
            #expect(try await jobs.ids(.dead) == [second])
            let back = try #require(try await jobs.backend.list(.queued, queue: "reports", limit: 10).first)
            #expect(back.id == first)
            #expect(back.attempt == 0, "fresh attempts")
            let again = try await client.post("/jobs/\(first)/retry", token: admin)
            #expect(again.status == 404)
            #expect(again.detail == "Job not found")

            try await jobs.kill(queue: "reports")
            let retriedAll = try await client.post("/jobs/dead/retry", token: admin)
            #expect(retriedAll.status == 200)
            #expect(retriedAll.json["count"] == 2)
            #expect(try await jobs.ids(.dead).isEmpty)
            #expect(Set(try await jobs.ids(.queued, queue: "reports")) == [first, second])

            try await jobs.kill(queue: "reports")
            let purged = try await client.delete("/jobs/dead", token: admin)
            #expect(purged.status == 200)
            #expect(purged.json["count"] == 1)
            #expect(try await jobs.ids(.dead).isEmpty)
            #expect(try await client.delete("/jobs/dead", token: admin).json["count"] == 0)
        }
    }

    @Test("a queue no worker has served yet shows in the figures and on the dashboard", arguments: JobStore.allCases)
    func unservedQueue(store: JobStore) async throws {
        try await store.run { client, app in
            try await JobFixtures(app).enqueue(name: "imports.fetch", queue: "imports")
            let admin = try await client.superuserToken()
            let session = try await JobsDashboardTests.session(client)
            let stats = try await client.get("/jobs/stats", token: admin)
            #expect(stats.status == 200)
            #expect(stats.json["data"]?.arrayValue?.first { $0["queue"] == "imports" }?["queued"] == 1)
            let page = try await client.request(.get, JobsDashboardTests.page, headers: JobsDashboardTests.cookie(session))
            #expect(page.status == 200)
            #expect(page.text.contains("<td>imports</td>"))
        }
    }

    @Test("a bad state, limit or id is a 422 like any other; an unknown dead job a 404")
    func validation() async throws {
        try await TestApp.run(.sqlite) { client, _ in
            let admin = try await client.superuserToken()
            let state = try await client.get("/jobs/?state=sleeping", token: admin)
            #expect(state.status == 422)
            #expect(state.detail?[0]?["type"] == "enum")
            #expect(state.detail?[0]?["loc"] == ["query", "state"])
            for limit in ["0", "1001", "many"] {
                let response = try await client.get("/jobs/?limit=\(limit)", token: admin)
                #expect(response.status == 422, "limit=\(limit)")
                #expect(response.detail?[0]?["loc"] == ["query", "limit"])
            }
            #expect(try await client.get("/jobs/?queue=%00", token: admin).status == 422)
            #expect(try await client.post("/jobs/not-a-job/retry", token: admin).status == 422)
            let unknown = try await client.post("/jobs/\(UUID())/retry", token: admin)
            #expect(unknown.status == 404)
            #expect(unknown.detail == "Job not found")
        }
    }

    @Test("the jobs endpoints are documented with their models, parameters and errors; the dashboard is not")
    func documented() async throws {
        try await TestApp.run(.sqlite) { client, _ in
            let document = try await client.get("/openapi.json").json
            let paths = try #require(document["paths"]?.objectValue)
            #expect(
                paths["/api/v1/jobs/stats"]?["get"]?["responses"]?["200"]?["content"]?["application/json"]?["schema"] == [
                    "$ref": "#/components/schemas/QueuesStatsPublic"
                ])
            let list = try #require(paths["/api/v1/jobs/"]?["get"])
            #expect(list["operationId"] == "jobs-read_jobs")
            #expect(list["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["state", "queue", "limit"])
            let retry = try #require(paths["/api/v1/jobs/{id}/retry"]?["post"])
            for status in ["401", "403", "404", "422"] {
                #expect(retry["responses"]?[status] != nil, "POST /jobs/{id}/retry documents \(status)")
            }
            #expect(retry["security"] == [["OAuth2PasswordBearer": ["jobs:manage"]]])
            #expect(paths["/api/v1/jobs/dead"]?["delete"] != nil)
            #expect(paths["/api/v1/jobs/dead/retry"]?["post"] != nil)
            #expect(!paths.keys.contains { $0.contains("dashboard") })
            let schemas = try #require(document["components"]?["schemas"])
            #expect(schemas["JobState"]?["enum"] == ["queued", "running", "dead"])
            #expect(schemas["JobPublic"]?["required"]?.arrayValue?.contains("max_attempts") == true)
            #expect(schemas["QueueStatsPublic"]?["properties"]?["oldest_age_ms"] != nil)
        }
    }
}

@Suite("Jobs dashboard", .timeLimit(.minutes(5)))
struct JobsDashboardTests {
    static let page = "/jobs/dashboard"

    @Test("without a session the page is the sign-in form, served with headers that keep it private and unframed")
    func signInForm() async throws {
        try await TestApp.run(.sqlite) { client, _ in
            let response = try await client.get(Self.page)
            #expect(response.status == 200)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.text.contains(#"<form method="post" action="/api/v1/jobs/dashboard/login">"#))
            #expect(response.text.contains(#"name="password" type="password""#))
            #expect(!response.text.contains("csrf_token"))
            #expect(response.headers[.cacheControl] == "no-store")
            let policy = try #require(response.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"))
            #expect(try await client.get(Self.page + "/").status == 200, "with or without the slash")

            // A cookie that is no access token, or no longer one, is no session either.
            for cookie in ["garbage", "a.b.c", ""] {
                let page = try await client.request(.get, Self.page, headers: Self.cookie(cookie))
                #expect(page.text.contains("/jobs/dashboard/login"), "cookie \(cookie)")
            }
        }
    }

    @Test("a wrong password, an unknown email and a user who is no superuser get no cookie")
    func refusedSignIns() async throws {
        try await TestApp.run(.sqlite) { client, app in
            _ = try await app.createUser(email: "user@example.com")
            let refusals = [
                (TestApp.superuserEmail, "wrong-password", "incorrect-credentials", "Incorrect email or password."),
                ("nobody@example.com", "whatever-password", "incorrect-credentials", "Incorrect email or password."),
                ("user@example.com", "user-password", "not-superuser", "The jobs dashboard is for superusers only."),
            ]
            for (email, password, notice, message) in refusals {
                let response = try await Self.signIn(client, email, password)
                #expect(response.status == 303)
                #expect(response.headers[.location] == "/api/v1/jobs/dashboard?notice=\(notice)", "\(email)")
                #expect(response.headers[.setCookie] == nil, "\(email)")
                let shown = try await client.get(Self.page + "?notice=\(notice)")
                #expect(shown.text.contains(message))
                #expect(shown.text.contains("/jobs/dashboard/login"))
            }
            // A user's own access token, put in the cookie by hand, opens nothing.
            let token = try await client.login("user@example.com", "user-password")
            let page = try await client.request(.get, Self.page, headers: Self.cookie(token))
            #expect(page.text.contains("/jobs/dashboard/login"))
            #expect(!page.text.contains("Retry"))
        }
    }

    @Test("failed sign-ins use up the account's login throttle, as the API's login does")
    func throttled() async throws {
        try await TestApp.run(.sqlite, environment: ["RATE_LIMIT_LOGIN_FAILURES": "2/15 minutes"]) { client, _ in
            for _ in 0..<2 {
                let response = try await Self.signIn(client, TestApp.superuserEmail, "wrong-password")
                #expect(response.headers[.location]?.hasSuffix("notice=incorrect-credentials") == true)
            }
            let locked = try await Self.signIn(client, TestApp.superuserEmail, TestApp.superuserPassword)
            #expect(locked.headers[.location]?.hasSuffix("notice=throttled") == true)
            #expect(locked.headers[.setCookie] == nil)
        }
    }

    @Test("a superuser's sign-in sets an HttpOnly, SameSite=Strict cookie for the dashboard's path, Secure over HTTPS")
    func signInCookie() async throws {
        try await TestApp.run(.sqlite) { client, _ in
            let response = try await Self.signIn(client, TestApp.superuserEmail, TestApp.superuserPassword)
            #expect(response.status == 303)
            #expect(response.headers[.location] == "/api/v1/jobs/dashboard")
            let cookie = try #require(response.headers[.setCookie])
            let attributes = Set(cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(cookie.hasPrefix("tern_jobs_dashboard=ey"))
            #expect(attributes.isSuperset(of: ["HttpOnly", "SameSite=Strict", "Path=/api/v1/jobs/dashboard"]))
            #expect(attributes.contains { $0.hasPrefix("Max-Age=") })
            #expect(!attributes.contains("Secure"), "plain HTTP in development: a Secure cookie would not come back")

            let proxied = try await Self.signIn(
                client, TestApp.superuserEmail, TestApp.superuserPassword, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(proxied.headers[.setCookie]?.contains("; Secure") == true)

            let page = try await client.request(.get, Self.page, headers: Self.cookie(try Self.sessionToken(response)))
            #expect(page.status == 200)
            #expect(page.text.contains(TestApp.superuserEmail))
            #expect(page.text.contains("/jobs/dashboard/logout"))
        }
    }

    @Test("the page lists the queues and the running, retrying and dead jobs, their data escaped", arguments: Backend.allCases)
    func lists(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let jobs = JobFixtures(app)
            let dead = try await jobs.dead(name: "<script>alert('name')</script>", error: "<script>alert(1)</script> & \"quoted\"")
            let retrying = try await jobs.enqueue(
                name: "imports.fetch", queue: "imports", attempt: 2, maxAttempts: 5, runAt: currentMilliseconds() + 60_000,
                lastError: "timed out <b>again</b>")
            let plain = try await jobs.enqueue(name: "imports.plain", queue: "imports")
            let session = try await Self.session(client)

            let page = try await client.request(.get, Self.page, headers: Self.cookie(session))
            #expect(page.status == 200)
            let html = page.text
            for queue in ["reports", "imports"] { #expect(html.contains("<td>\(queue)</td>")) }
            #expect(html.contains(dead))
            #expect(html.contains(#"name="job_id" value="\#(dead)""#))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;"))
            #expect(html.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;"))
            #expect(!html.contains("<script"), "no job data is ever markup")
            #expect(html.contains(retrying))
            #expect(html.contains("timed out &lt;b&gt;again&lt;/b&gt;"))
            #expect(html.contains("2 of 5"))
            #expect(!html.contains(plain), "a waiting job that never failed is counted, not listed")
            #expect(html.contains("No job is running."))
        }
    }

    @Test("forms that change something need the session's CSRF token; with it, they retry and purge", arguments: Backend.allCases)
    func forms(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let jobs = JobFixtures(app)
            let id = try await jobs.dead()
            let session = try await Self.session(client)
            let page = try await client.request(.get, Self.page, headers: Self.cookie(session))
            let csrf = try #require(page.text.firstMatch(of: /name="csrf_token" value="([0-9a-f]{64})"/)?.1).description

            // Refused: no token, another's, or no session at all; nothing changes.
            for form in ["job_id=\(id)", "job_id=\(id)&csrf_token=", "job_id=\(id)&csrf_token=\(String(repeating: "0", count: 64))"] {
                let refused = try await Self.post(client, "/retry-job", form: form, session: session)
                #expect(refused.status == 403, "\(form)")
                #expect(refused.detail?.stringValue?.contains("CSRF") == true)
            }
            for action in ["/retry-dead", "/purge-dead", "/logout"] {
                #expect(try await Self.post(client, action, form: "", session: session).status == 403, "\(action)")
            }
            let signedOut = try await Self.post(client, "/retry-job", form: "job_id=\(id)&csrf_token=\(csrf)", session: nil)
            #expect(signedOut.status == 303)
            #expect(signedOut.headers[.location] == "/api/v1/jobs/dashboard?notice=session-ended")
            let otherSession = try await Self.session(client)
            #expect(otherSession != session)
            let stale = try await Self.post(client, "/retry-job", form: "job_id=\(id)&csrf_token=\(csrf)", session: otherSession)
            #expect(stale.status == 403, "a token is tied to the sign-in it was rendered for")
            #expect(try await jobs.ids(.dead) == [id])
            let control = try await Self.post(client, "/retry-job", form: "job_id=%00&csrf_token=\(csrf)", session: session)
            #expect(control.status == 422, "no id has a control character (PostgreSQL would refuse NUL)")

            // Accepted.
            let retried = try await Self.post(client, "/retry-job", form: "job_id=\(id)&csrf_token=\(csrf)", session: session)
            #expect(retried.status == 303)
            #expect(retried.headers[.location] == "/api/v1/jobs/dashboard?notice=retried")
            #expect(try await jobs.ids(.dead).isEmpty)
            #expect(try await jobs.ids(.queued, queue: "reports") == [id])
            let gone = try await Self.post(client, "/retry-job", form: "job_id=\(id)&csrf_token=\(csrf)", session: session)
            #expect(gone.headers[.location] == "/api/v1/jobs/dashboard?notice=job-not-found")

            try await jobs.kill(queue: "reports")
            let retriedAll = try await Self.post(client, "/retry-dead", form: "csrf_token=\(csrf)", session: session)
            #expect(retriedAll.headers[.location] == "/api/v1/jobs/dashboard?notice=retried-all&count=1")
            #expect(try await jobs.ids(.dead).isEmpty)
            let shown = try await client.request(.get, Self.page + "?notice=retried-all&count=1", headers: Self.cookie(session))
            #expect(shown.text.contains("Retried 1 dead job."))

            try await jobs.kill(queue: "reports")
            let purged = try await Self.post(client, "/purge-dead", form: "csrf_token=\(csrf)", session: session)
            #expect(purged.headers[.location] == "/api/v1/jobs/dashboard?notice=purged&count=1")
            #expect(try await jobs.ids(.dead).isEmpty)
            #expect(try await jobs.ids(.queued, queue: "reports").isEmpty)

            let loggedOut = try await Self.post(client, "/logout", form: "csrf_token=\(csrf)", session: session)
            #expect(loggedOut.status == 303)
            #expect(loggedOut.headers[.location] == "/api/v1/jobs/dashboard?notice=signed-out")
            let cleared = try #require(loggedOut.headers[.setCookie])
            #expect(cleared.hasPrefix("tern_jobs_dashboard=;") && cleared.contains("Max-Age=0"))
            #expect(cleared.contains("Path=/api/v1/jobs/dashboard"))
            // The token the cookie held ended with its session: a copy of the cookie signs nobody in.
            #expect(try await client.post("/login/test-token", token: session).status == 403)
        }
    }

    // MARK: Helpers

    static func cookie(_ token: String) -> HTTPFields {
        [.cookie: "tern_jobs_dashboard=\(token)"]
    }

    static func signIn(_ client: TestClient, _ email: String, _ password: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        let form = "email=\(email.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? email)&password=\(password)"
        return try await client.request(.post, page + "/login", form: form, headers: headers)
    }

    /// The access token a sign-in's cookie holds.
    static func sessionToken(_ response: TestResponse) throws -> String {
        let cookie = try #require(response.headers[.setCookie])
        let pair = try #require(cookie.split(separator: ";").first)
        return String(try #require(pair.split(separator: "=", maxSplits: 1).last))
    }

    /// A fresh sign-in of the first superuser: the token its cookie holds.
    static func session(_ client: TestClient) async throws -> String {
        // Tokens are signed to the second: a sign-in in the same second as another would share its token.
        try await Task.sleep(for: .milliseconds(1100))
        return try sessionToken(try await signIn(client, TestApp.superuserEmail, TestApp.superuserPassword))
    }

    static func post(_ client: TestClient, _ action: String, form: String, session: String?) async throws -> TestResponse {
        try await client.request(.post, page + action, form: form, headers: session.map(cookie) ?? [:])
    }
}
