import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import TestSupport
import Testing

@Suite("api serve", .timeLimit(.minutes(4)))
struct ServeCommandTests {
    @Test("serves the health check on SQLite and stops cleanly on SIGTERM")
    func serveAndStop() async throws {
        let api = try APIProcess()
        defer { api.delete() }
        #expect(try await api.run(["migrate"]).status == 0)
        let result = try await api.serve { server in
            let health = try await get("\(server.baseURL)/api/v1/utils/health-check/")
            #expect(health.status == 200)
            #expect(health.body == "true")
            #expect(health.contentType == "application/json")
            let ready = try await get("\(server.baseURL)/api/v1/utils/readiness-check/")
            #expect(ready.status == 200)
        }
        #expect(result.status == 0, "\(result.errorOutput)")
    }

    @Test("LOG_FORMAT=json: every line is a JSON object; the access line carries the request's id, which the client gets back")
    func jsonLogs() async throws {
        let api = try APIProcess(environment: ["LOG_FORMAT": "json"])
        defer { api.delete() }
        #expect(try await api.run(["migrate"]).status == 0)
        let result = try await api.serve { server in
            let health = try await get("\(server.baseURL)/api/v1/utils/health-check/?probe=1", headers: [("X-Request-ID", "probe-1")])
            #expect(health.headers.first(name: "x-request-id") == "probe-1")
        }
        #expect(result.status == 0, "\(result.errorOutput)")
        let lines = result.errorOutput.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
        #expect(!lines.isEmpty && lines.allSatisfy { $0 != nil }, "\(result.errorOutput)")
        let access = lines.compactMap { $0 }.first { $0["request_id"] as? String == "probe-1" }
        #expect(access?["status"] as? String == "200")
        #expect(access?["path"] as? String == "/api/v1/utils/health-check/")
        #expect(access?["route"] as? String == "/api/v1/utils/health-check")
    }

    @Test("GET /metrics: Prometheus's text format, with the requests served by route and status")
    func metrics() async throws {
        let api = try APIProcess()
        defer { api.delete() }
        #expect(try await api.run(["migrate"]).status == 0)
        let result = try await api.serve { server in
            _ = try await get("\(server.baseURL)/api/v1/utils/health-check/")
            _ = try await get("\(server.baseURL)/api/v1/users/me")
            let metrics = try await get("\(server.baseURL)/metrics")
            #expect(metrics.status == 200 && metrics.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = metrics.body
            #expect(text.contains(#"http_requests_total{method="GET",route="/api/v1/utils/health-check",status="200"} 1"#), "\(text)")
            #expect(text.contains(#"http_requests_total{method="GET",route="/api/v1/users/me",status="401"} 1"#))
            #expect(text.contains("# TYPE http_request_duration_seconds histogram"))
            // Read at the scrape: the SQLite pools (readers, and the single writer) and the hasher.
            #expect(text.contains(#"tern_db_pool_max_connections{pool="writer"} 1"#))
            #expect(text.contains(#"tern_db_pool_waiting{pool="readers"} 0"#))
            #expect(text.contains(#"tern_password_hashes{state="running"} 0"#))
        }
        #expect(result.status == 0, "\(result.errorOutput)")
    }

    @Test("ALLOWED_HOSTS: another Host gets 400 Invalid host header; answers carry the security headers")
    func allowedHosts() async throws {
        let api = try APIProcess(environment: ["ALLOWED_HOSTS": "127.0.0.1,api.example.com", "HSTS_SECONDS": "600"])
        defer { api.delete() }
        #expect(try await api.run(["migrate"]).status == 0)
        let result = try await api.serve { server in
            let allowed = try await get("\(server.baseURL)/api/v1/utils/health-check/")
            #expect(allowed.status == 200)
            #expect(allowed.headers.first(name: "x-content-type-options") == "nosniff")
            #expect(allowed.headers.first(name: "strict-transport-security") == "max-age=600; includeSubDomains")
            let named = try await get("\(server.baseURL)/api/v1/utils/health-check/", headers: [("Host", "api.example.com")])
            #expect(named.status == 200)
            let forged = try await get("\(server.baseURL)/api/v1/utils/health-check/", headers: [("Host", "evil.example.net")])
            #expect(forged.status == 400 && forged.body == #"{"detail":"Invalid host header"}"#)
            // Errors too: the API's error middleware answers inside this one.
            let missing = try await get("\(server.baseURL)/api/v1/nowhere")
            #expect(missing.status == 404 && missing.headers.first(name: "x-frame-options") == "DENY")
        }
        #expect(result.status == 0, "\(result.errorOutput)")
    }

    @Test("a request in flight when SIGTERM or SIGINT arrives is answered before the process exits", arguments: [SIGTERM, SIGINT])
    func gracefulShutdown(signal: Int32) async throws {
        // A login hashing for a few seconds is the request in flight.
        let api = try APIProcess(environment: [
            "PASSWORD_HASH_MEMORY_KIB": "65536", "PASSWORD_HASH_ITERATIONS": "40", "FIRST_SUPERUSER_PASSWORD": "first-password",
        ])
        defer { api.delete() }
        #expect(try await api.run(["migrate"]).status == 0)
        let signalled = Atomic<Bool>(false)
        let result = try await api.serve(stopSignal: signal) { server in
            async let login = post(
                "\(server.baseURL)/api/v1/login/access-token", form: "username=admin%40example.com&password=first-password")
            // The request reaches the server in milliseconds; hashing takes far longer.
            try await Task.sleep(for: .seconds(1))
            signalled.store(true, ordering: .sequentiallyConsistent)
            server.send(signal)
            let response = try await login
            #expect(response.status == 200, "\(response.body)")
            let answeredAfterSignal = signalled.load(ordering: .sequentiallyConsistent)
            #expect(answeredAfterSignal, "the response must come after the signal")
        }
        #expect(result.status == 0, "\(result.errorOutput)")
    }

    @Test("refuses to start on a database with pending migrations")
    func pendingMigrations() async throws {
        let api = try APIProcess()
        defer { api.delete() }
        let result = try await api.run(["serve", "--port", "0"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("the database is not up to date"), "\(result.errorOutput)")
        #expect(result.errorOutput.contains("run `api migrate` first"))
    }

    @Test("warns about applied migrations whose file was edited or removed, and serves")
    func editedAndMissingMigrations() async throws {
        let folder = try MigrationFolder([
            "0001_first.up.sql": "CREATE TABLE first (x INTEGER);", "0001_first.down.sql": "DROP TABLE first;",
            "0002_second.up.sql": "CREATE TABLE second (x INTEGER);", "0002_second.down.sql": "DROP TABLE second;",
        ])
        defer { folder.delete() }
        // The app's own tables, so that it can start: the repository's migrations, then these.
        for file in try FileManager.default.contentsOfDirectory(atPath: TestEnvironment.migrationsPath) {
            // 0001_... becomes 0101_...: after these two, in their own order.
            let renamed = "01" + file.dropFirst(2)
            try folder.write(renamed, String(contentsOfFile: "\(TestEnvironment.migrationsPath)/\(file)", encoding: .utf8))
        }
        let api = try APIProcess(environment: ["MIGRATIONS_DIR": folder.path])
        defer { api.delete() }
        #expect(try await api.run(["migrate"]).status == 0)
        try folder.write("0001_first.down.sql", "DROP TABLE IF EXISTS first;")
        try folder.remove("0002_second.up.sql")
        try folder.remove("0002_second.down.sql")
        let result = try await api.serve { server in
            let health = try await get("\(server.baseURL)/api/v1/utils/health-check/")
            #expect(health.status == 200)
        }
        #expect(result.errorOutput.contains("applied migration was edited since"), "\(result.errorOutput)")
        #expect(result.errorOutput.contains("migration=0001_first"))
        #expect(result.errorOutput.contains("applied migration has no file any more"))
        #expect(result.errorOutput.contains("migration=0002_second"))
    }

    @Test("a database that comes up while serve waits for it: serve starts")
    func databaseComesUpDuringStartup() async throws {
        try await PostgresTestServer.with { database in
            let api = try APIProcess(environment: ["DATABASE_URL": database.url, "DATABASE_STARTUP_TIMEOUT": "120"])
            defer { api.delete() }
            #expect(try await api.run(["migrate"]).status == 0)
            try await database.stop()
            let log = ProcessLog()
            async let served = api.serve(log: log) { server in
                let ready = try await get("\(server.baseURL)/api/v1/utils/readiness-check/")
                #expect(ready.status == 200)
            }
            try await log.waitFor("database not reachable yet, retrying")
            try await database.startAgain()
            let result = try await served
            #expect(result.status == 0, "\(result.errorOutput)")
        }
    }

    @Test("an unreachable database at start is retried, then a clear error and status 1")
    func unreachableDatabase() async throws {
        // Nothing listens on port 1.
        let api = try APIProcess(environment: [
            "DATABASE_URL": "postgres://tern@127.0.0.1:1/tern", "DATABASE_STARTUP_TIMEOUT": "1",
        ])
        defer { api.delete() }
        let result = try await api.run(["serve", "--port", "0"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("error: could not reach the database"))
    }
}
