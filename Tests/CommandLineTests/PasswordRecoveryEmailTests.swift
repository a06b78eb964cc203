import Foundation
import NIOHTTP1
import TernDatabase
import TestSupport
import Testing

/// Password recovery from end to end, with the real processes: `api serve` enqueues the email, a
/// worker sends it over SMTP to a test sink, and the link in it sets a new password. The worker is a
/// `worker run` of its own (as deployed), or the one `api serve --worker` embeds (as `scripts/run`
/// runs the app); and an SMTP server that is down only delays the email.
@Suite("Password recovery emails through the worker", .serialized, .timeLimit(.minutes(5)))
struct PasswordRecoveryEmailTests {
    /// Where jobs wait: the database's table, or Redis Streams.
    enum JobsBackend: String, CaseIterable, CustomTestStringConvertible {
        case database, redis
        var testDescription: String { rawValue }
    }

    @Test(
        "api serve and a separate worker process: the email arrives, its link resets the password, and the worker's /metrics counts it",
        arguments: JobsBackend.allCases)
    func separateWorker(_ backend: JobsBackend) async throws {
        try await SMTPTestSink.with { sink in
            try await TestDatabase.with(.postgres) { database in
                try await withJobsEnvironment(backend) { jobs in
                    let api = try APIProcess(
                        environment: mailEnvironment(sink).merging(jobs) { $1 }.merging([
                            "DATABASE_URL": database.url.string, "WORKER_METRICS_PORT": "0",
                        ]) { $1 })
                    defer { api.delete() }
                    #expect(try await api.run(["migrate"]).status == 0)
                    let result = try await api.serve { server in
                        let admin = try await logIn(server, "admin@example.com", "first-password")
                        let created = try await send(
                            .POST, "\(server.baseURL)/api/v1/users/", headers: json(token: admin),
                            body: #"{"email": "reader@example.com", "password": "old-password"}"#)
                        #expect(created.status == 200, "\(created.body)")
                        let requested = try await post("\(server.baseURL)/api/v1/password-recovery/reader@example.com", form: "")
                        #expect(requested.status == 200, "\(requested.body)")
                        // No worker yet: the API only enqueued the emails (the new account's, with the
                        // transaction that created it, and the recovery).
                        try await until("both emails wait in the queue") {
                            let waiting = try await listJobs(api, ["--json"])
                            return Set(waiting.map(\.name)) == ["email.new-account", "email.password-recovery"]
                        }
                        #expect(try sink.messages().isEmpty)

                        let (worker, _) = try await api.worker.start(["run"]) { process in
                            let token = try await resetToken(in: sink, to: "reader@example.com")
                            try await resetPassword(server, token: token, email: "reader@example.com", from: "old-password")
                            try await until("the welcome email is sent too") { try sink.messages().count == 2 }
                            try await process.waitForLog("listening on")
                            let address = try #require(
                                process.log.components(separatedBy: "listening on ").last?.prefix { !$0.isWhitespace })
                            let port = try #require(address.split(separator: ":").last)
                            let metrics = try await get("http://127.0.0.1:\(port)/metrics")
                            #expect(metrics.status == 200)
                            #expect(
                                metrics.body.contains(#"tern_jobs_processed_total{"#)
                                    && metrics.body.contains(#"job="email.password-recovery""#), "\(metrics.body)")
                            if backend == .redis { #expect(metrics.body.contains(#"tern_redis_commands_total{command="#)) }
                            process.send(SIGTERM)
                        }
                        #expect(worker.status == 0, "\(worker.log)")
                        #expect(worker.log.contains("email sent"), "\(worker.log)")
                    }
                    #expect(result.status == 0, "\(result.errorOutput)")
                }
            }
        }
    }

    @Test("api serve --worker alone, on SQLite (what scripts/run starts): the email arrives, and its link resets the password")
    func embeddedWorker() async throws {
        try await SMTPTestSink.with { sink in
            let api = try APIProcess(environment: mailEnvironment(sink))
            defer { api.delete() }
            #expect(try await api.run(["migrate"]).status == 0)
            let result = try await api.serve(["--worker"]) { server in
                let requested = try await post("\(server.baseURL)/api/v1/password-recovery/admin@example.com", form: "")
                #expect(requested.status == 200, "\(requested.body)")
                let token = try await resetToken(in: sink, to: "admin@example.com")
                try await resetPassword(server, token: token, email: "admin@example.com", from: "first-password")
            }
            #expect(result.status == 0, "\(result.errorOutput)")
        }
    }

    @Test("an SMTP server that is down: the email is retried with backoff, and sent once the server is back")
    func smtpServerDown() async throws {
        try await SMTPTestSink.with { sink in
            try await sink.stop()
            let api = try APIProcess(environment: mailEnvironment(sink).merging(["JOBS_MAX_ATTEMPTS": "50"]) { $1 })
            defer { api.delete() }
            #expect(try await api.run(["migrate"]).status == 0)
            let log = ProcessLog()
            let result = try await api.serve(["--worker"], log: log) { server in
                let requested = try await post("\(server.baseURL)/api/v1/password-recovery/admin@example.com", form: "")
                #expect(requested.status == 200, "\(requested.body)")
                try await until("the first attempt fails") { log.text.contains("job failed; will retry") }
                // Not lost, not dead: it waits for its next attempt, with the reason of the last.
                try await until("the job waits for its retry") {
                    try await listJobs(api, ["--json"]).contains { $0.name == "email.password-recovery" && $0.lastError != nil }
                }
                #expect(try await listJobs(api, ["--dead", "--json"]).isEmpty)

                try await sink.restart()
                let token = try await resetToken(in: sink, to: "admin@example.com")
                try await resetPassword(server, token: token, email: "admin@example.com", from: "first-password")
                try await until("the queue is empty") { try await listJobs(api, ["--json"]).isEmpty }
            }
            #expect(result.status == 0, "\(result.errorOutput)")
            #expect(try sink.messages().count == 1, "sent once")
        }
    }

    @Test("an SMTP server down past the last attempt: the email waits in the dead-letter set, and a retry sends it")
    func deadLetteredThenRetried() async throws {
        try await SMTPTestSink.with { sink in
            try await sink.stop()
            let api = try APIProcess(environment: mailEnvironment(sink).merging(["JOBS_MAX_ATTEMPTS": "1"]) { $1 })
            defer { api.delete() }
            #expect(try await api.run(["migrate"]).status == 0)
            let result = try await api.serve(["--worker"]) { server in
                let requested = try await post("\(server.baseURL)/api/v1/password-recovery/admin@example.com", form: "")
                #expect(requested.status == 200, "\(requested.body)")
                try await until("the job is dead") {
                    try await listJobs(api, ["--dead", "--json"]).contains { $0.name == "email.password-recovery" && $0.lastError != nil }
                }

                try await sink.restart()
                let retried = try await api.worker.run(["jobs", "retry", "--all-dead"])
                #expect(retried.status == 0, "\(retried.log)")
                #expect(retried.output == "retried 1 jobs\n")
                let token = try await resetToken(in: sink, to: "admin@example.com")
                try await resetPassword(server, token: token, email: "admin@example.com", from: "first-password")
                #expect(try await listJobs(api, ["--dead", "--json"]).isEmpty)
            }
            #expect(result.status == 0, "\(result.errorOutput)")
        }
    }
}

// MARK: - Helpers

/// SMTP to `sink` (plain text, loopback), a known superuser, and a secret key every process of the
/// test shares: the worker signs the reset token that the API checks.
private func mailEnvironment(_ sink: SMTPTestSink) -> [String: String] {
    [
        "SMTP_HOST": sink.host, "SMTP_PORT": String(sink.port), "SMTP_TLS": "false", "EMAILS_FROM_EMAIL": "tern@example.com",
        "FIRST_SUPERUSER_PASSWORD": "first-password", "SECRET_KEY": "a-secret-key-the-api-and-the-worker-share-0123456789",
    ]
}

/// Runs `body` with the settings of `backend`. Redis is a server of the test's own: workers on a
/// shared one would take each other's jobs, since the app's keys have no per-test prefix.
private func withJobsEnvironment(
    _ backend: PasswordRecoveryEmailTests.JobsBackend, _ body: ([String: String]) async throws -> Void
) async throws {
    switch backend {
    case .database:
        try await body(["JOBS_BACKEND": "database"])
    case .redis:
        try await RedisTestServer.with { redis in try await body(["JOBS_BACKEND": "redis", "REDIS_URL": redis.url]) }
    }
}

extension APIProcess {
    /// The `worker` executable, with this process's settings and working directory.
    var worker: ChildProcess {
        ChildProcess("worker", environment: environment, directory: directory)
    }
}

/// `worker jobs list ARGUMENTS` (with `--json`), decoded.
private func listJobs(_ api: APIProcess, _ arguments: [String]) async throws -> [ListedJob] {
    let listed = try await api.worker.run(["jobs", "list"] + arguments)
    try #require(listed.status == 0, "\(listed.log)")
    return try JSONDecoder().decode([ListedJob].self, from: Data(listed.output.utf8))
}

/// A job as `worker jobs list --json` shows it (what the test needs of it).
private struct ListedJob: Decodable {
    let name: String
    let attempt: Int
    let lastError: String?

    enum CodingKeys: String, CodingKey {
        case name, attempt
        case lastError = "last_error"
    }
}

/// Waits for the password-recovery email to `address` and returns the token of its link, read from
/// the text part as a mail client shows it (quoted-printable undone).
private func resetToken(in sink: SMTPTestSink, to address: String) async throws -> String {
    var token: String?
    try await until("the password-recovery email arrives") {
        for message in try sink.messages() where message.recipients == [address] {
            for part in try ReceivedMail(message.data).parts() {
                if let match = part.text.firstMatch(of: /reset-password\?token=([A-Za-z0-9._\-]+)/) { token = String(match.1) }
            }
        }
        return token != nil
    }
    return try #require(token)
}

/// Sets a new password with `token`; then the new password logs in, and the old one no more.
private func resetPassword(_ server: RunningAPI, token: String, email: String, from oldPassword: String) async throws {
    let reset = try await send(
        .POST, "\(server.baseURL)/api/v1/reset-password/", headers: json(token: nil),
        body: #"{"token": "\#(token)", "new_password": "a-new-password"}"#)
    #expect(reset.status == 200, "\(reset.body)")
    _ = try await logIn(server, email, "a-new-password")
    let old = try await post("\(server.baseURL)/api/v1/login/access-token", form: "username=\(formEncoded(email))&password=\(oldPassword)")
    #expect(old.status == 400, "the old password still logs in")
}

/// Logs in; the access token.
private func logIn(_ server: RunningAPI, _ email: String, _ password: String) async throws -> String {
    let response = try await post(
        "\(server.baseURL)/api/v1/login/access-token", form: "username=\(formEncoded(email))&password=\(password)")
    try #require(response.status == 200, "\(response.body)")
    return try #require(response.json["access_token"] as? String)
}

private func formEncoded(_ text: String) -> String {
    text.replacingOccurrences(of: "@", with: "%40")
}

private func json(token: String?) -> [(String, String)] {
    [("content-type", "application/json")] + (token.map { [("authorization", "Bearer \($0)")] } ?? [])
}

/// Polls `condition` every 100 ms until it holds; throws once `seconds` have passed (generous: a
/// loaded machine is slow, never wrong).
private func until(_ what: String, within seconds: Double = 120, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try await !condition() {
        guard Date() < deadline else { throw TestSetupError("waited \(seconds) s, in vain, until \(what)") }
        try await Task.sleep(for: .milliseconds(100))
    }
}
