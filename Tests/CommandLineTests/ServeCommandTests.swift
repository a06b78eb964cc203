import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

@Suite("api serve")
struct ServeCommandTests {
    @Test("serves the health check on SQLite and stops cleanly on SIGTERM")
    func serveAndStop() async throws {
        let port = try freeLoopbackPort()
        let api = try APIProcess()
        defer { api.delete() }
        #expect(try await api.run(["migrate"]).status == 0)
        let result = try await api.runWhile(["serve", "--port", "\(port)"]) {
            let health = try await waitForResponse("http://127.0.0.1:\(port)/api/v1/utils/health-check/")
            #expect(health.status == 200)
            #expect(health.body == "true")
            #expect(health.contentType == "application/json")
            let ready = try await waitForResponse("http://127.0.0.1:\(port)/api/v1/utils/readiness-check/")
            #expect(ready.status == 200)
        }
        #expect(result.status == 0, "\(result.errorOutput)")
    }

    @Test("an unreachable database at start is retried, then a clear error and status 1")
    func unreachableDatabase() async throws {
        let api = try APIProcess(environment: [
            "DATABASE_URL": "postgres://tern@127.0.0.1:\(try freeLoopbackPort())/tern", "DATABASE_STARTUP_TIMEOUT": "1",
        ])
        defer { api.delete() }
        let result = try await api.run(["serve", "--port", "\(try freeLoopbackPort())"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("error: could not reach the database"))
    }
}

struct HTTPResult {
    let status: Int
    let body: String
    let contentType: String?
}

/// GETs `url`, retrying while the server is still starting.
func waitForResponse(_ url: String, timeout: Duration = .seconds(20)) async throws -> HTTPResult {
    let deadline = ContinuousClock.now + timeout
    while true {
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1 << 20)
            return HTTPResult(
                status: Int(response.status.code), body: String(buffer: body),
                contentType: response.headers.first(name: "content-type"))
        } catch {
            guard ContinuousClock.now < deadline else { throw error }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
