import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOWebSocket
import TernDatabase
import TestSupport
import Testing

/// Several `api` processes on one PostgreSQL and one Redis, as behind a load balancer: their limits
/// and caches are one.
@Suite("api processes sharing Redis", .timeLimit(.minutes(4)))
struct SharedRedisTests {
    /// Two migrated `api` processes on a new database and a Redis of the test's own, serving `body`.
    private func withTwoServers(
        _ environment: [String: String], second secondEnvironment: [String: String] = [:],
        _ body: (RunningAPI, RunningAPI, RedisTestServer) async throws -> Void
    ) async throws {
        try await TestDatabase.with(.postgres, migrated: true) { database in
            try await RedisTestServer.with { redis in
                let shared = [
                    "DATABASE_URL": database.url.string, "REDIS_URL": redis.url, "FIRST_SUPERUSER_PASSWORD": "first-password",
                    "SECRET_KEY": "a-secret-key-that-both-processes-share-0123",
                ]
                let first = try APIProcess(environment: shared.merging(environment) { $1 })
                let second = try APIProcess(environment: shared.merging(environment) { $1 }.merging(secondEnvironment) { $1 })
                defer {
                    first.delete()
                    second.delete()
                }
                _ = try await first.serve { one in
                    _ = try await second.serve { two in try await body(one, two, redis) }
                }
            }
        }
    }

    @Test("200 requests at once over two processes: exactly the limit passes, with every header; the rest get 429")
    func exactLimitAcrossProcesses() async throws {
        // An hour-long window: a loaded machine taking seconds over the 200 requests frees no token
        // meanwhile (with 50/minute, one every 1.2 s did, and 51 passed).
        try await withTwoServers(["RATE_LIMIT_DEFAULT": "50/hour"]) { one, two, _ in
            let started = Date().timeIntervalSince1970
            let results = try await withThrowingTaskGroup(of: HTTPResult.self) { group in
                for index in 0..<200 {
                    let server = index % 2 == 0 ? one : two
                    group.addTask { try await get("\(server.baseURL)/api/v1/utils/health-check/") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0.status == 200 }.count == 50)
            #expect(results.filter { $0.status == 429 }.count == 150)

            let admitted = try #require(results.first { $0.status == 200 })
            #expect(admitted.header("RateLimit-Policy") == "\"default\";q=50;w=3600")
            let state = try #require(admitted.header("RateLimit"))
            #expect(state.hasPrefix("\"default\";r=") && state.contains(";t="))
            #expect(admitted.header("X-RateLimit-Limit") == "50")
            #expect(admitted.header("X-RateLimit-Remaining").flatMap(Int.init).map { (0..<50).contains($0) } == true)
            let reset = try #require(admitted.header("X-RateLimit-Reset").flatMap(Double.init))
            #expect(reset >= started && reset <= started + 3602, "X-RateLimit-Reset is a Unix time within the window")

            let refused = try #require(results.first { $0.status == 429 })
            #expect(refused.body == #"{"detail":"Too Many Requests"}"#)
            let retryAfter = try #require(refused.header("Retry-After").flatMap(Int.init))
            #expect(retryAfter >= 1 && retryAfter <= 73, "one request every 72 s frees")
            #expect(refused.header("X-RateLimit-Remaining") == "0")
            #expect(refused.header("RateLimit-Policy") == "\"default\";q=50;w=3600")
        }
    }

    @Test("failed logins lock the account in both processes, even to the right password; other accounts log in")
    func loginFailuresLockAcrossProcesses() async throws {
        try await withTwoServers(["RATE_LIMIT_LOGIN_FAILURES": "3/minute"]) { one, two, _ in
            let wrong = "username=ADMIN%40example.com&password=wrong-password"
            for server in [one, two, one] {
                #expect(try await post("\(server.baseURL)/api/v1/login/access-token", form: wrong).status == 400)
            }
            let locked = try await post(
                "\(two.baseURL)/api/v1/login/access-token", form: "username=admin%40example.com&password=first-password")
            #expect(locked.status == 429)
            #expect(locked.json["detail"] as? String == "Too Many Requests")
            #expect(locked.header("Retry-After").flatMap(Int.init).map { $0 >= 1 } == true)
            #expect(locked.header("RateLimit-Policy") == "\"login-failures\";q=3;w=60")
            // Another account is not locked.
            let other = try await post("\(one.baseURL)/api/v1/login/access-token", form: "username=nobody%40example.com&password=x")
            #expect(other.status == 400)
        }
    }

    @Test("an item created, updated and deleted through one process is told to its owner's event stream open on the other")
    func notificationsAcrossProcesses() async throws {
        try await withTwoServers([:]) { one, two, _ in
            let login = try await post(
                "\(one.baseURL)/api/v1/login/access-token", form: "username=admin%40example.com&password=first-password")
            let token = try #require(login.json["access_token"] as? String)
            var request = HTTPClientRequest(url: "\(two.baseURL)/api/v1/notifications/items")
            request.headers.add(name: "authorization", value: "Bearer \(token)")
            let stream = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            #expect(stream.status == .ok)
            #expect(stream.headers.first(name: "content-type") == "text/event-stream")

            // The other process reads the stream from where it stood when it started: a change made
            // now, once its reader is up, reaches it.
            let auth = [("authorization", "Bearer \(token)"), ("content-type", "application/json")]
            try await Task.sleep(for: .milliseconds(500))
            let created = try await send(.POST, "\(one.baseURL)/api/v1/items/", headers: auth, body: #"{"title": "Lamp"}"#)
            let id = try #require(created.json["id"] as? String)
            _ = try await send(.PUT, "\(one.baseURL)/api/v1/items/\(id)", headers: auth, body: #"{"title": "Desk lamp"}"#)
            _ = try await send(.DELETE, "\(one.baseURL)/api/v1/items/\(id)", headers: auth)

            var received = ""
            let deadline = ContinuousClock.now + .seconds(20)
            for try await piece in stream.body {
                received += String(buffer: piece)
                if received.contains("event: item.deleted") || ContinuousClock.now > deadline { break }
            }
            let events = received.components(separatedBy: "\n\n").filter { $0.hasPrefix("event:") }
            #expect(
                events.map { $0.components(separatedBy: "\n")[0] } == ["event: item.created", "event: item.updated", "event: item.deleted"])
            #expect(events.first?.contains(#""title":"Lamp""#) == true)
            #expect(events.first?.contains(#""id":"\#(id)""#) == true)
            #expect(events.dropFirst().first?.contains(#""title":"Desk lamp""#) == true)
        }
    }

    @Test("a change made through one api process reaches a WebSocket open on the other, authenticated by its first message")
    func webSocketNotificationsAcrossProcesses() async throws {
        try await withTwoServers([:]) { one, two, _ in
            let login = try await post(
                "\(one.baseURL)/api/v1/login/access-token", form: "username=admin%40example.com&password=first-password")
            let token = try #require(login.json["access_token"] as? String)
            let auth = [("authorization", "Bearer \(token)"), ("content-type", "application/json")]
            let (messages, close) = try await RawWebSocketClient.connect(port: two.port, path: "/api/v1/notifications/items/ws") { socket in
                await socket.send(#"{"token": "\#(token)"}"#)
                await socket.send(#"{"type": "ping"}"#)
                var received: [String] = []
                guard let pong = try await socket.receive() else { return received }
                received.append(pong)
                // Authenticated and subscribed: a change made through the other process now reaches it.
                _ = try await send(.POST, "\(one.baseURL)/api/v1/items/", headers: auth, body: #"{"title": "Lamp"}"#)
                guard let created = try await socket.receive() else { return received }
                received.append(created)
                await socket.send(#"{"type": "subscribe"}"#)
                while try await socket.receive() != nil {}
                return received
            }
            #expect(messages.first == #"{"type":"pong","item":null}"#)
            #expect(messages.dropFirst().first?.hasPrefix(#"{"type":"item.created","item":{"title":"Lamp""#) == true, "\(messages)")
            #expect(close?.code == .policyViolation)
            #expect(close?.reason == "type: Input should be 'ping'")
        }
    }

    @Test("Redis killed: the fail-open process serves unlimited, the fail-closed one answers 503; both recover when it returns")
    func redisOutage() async throws {
        try await withTwoServers(["RATE_LIMIT_DEFAULT": "5/minute"], second: ["RATE_LIMIT_FAIL_OPEN": "false"]) { open, closed, redis in
            let health = "/api/v1/utils/health-check/"
            #expect(try await get(open.baseURL + health).status == 200)
            try await redis.kill()
            for _ in 0..<10 {
                let answer = try await get(open.baseURL + health)
                #expect(answer.status == 200)
                #expect(answer.header("RateLimit") == nil, "no limit was counted")
            }
            let unavailable = try await get(closed.baseURL + health)
            #expect(unavailable.status == 503)
            #expect(unavailable.header("Retry-After") != nil)

            try await redis.restart()
            // Both count again once their connections are back (within the client's backoff).
            var counting = false
            for _ in 0..<50 where !counting {
                try await Task.sleep(for: .milliseconds(200))
                let (a, b) = (try await get(open.baseURL + health), try await get(closed.baseURL + health))
                counting = a.header("RateLimit") != nil && b.status == 200
            }
            #expect(counting)
            // Redis came back empty, and five per minute hold again in both processes.
            var statuses: [Int] = []
            for server in [open, closed, open, closed, open, closed] { statuses.append(try await get(server.baseURL + health).status) }
            #expect(statuses.contains(429))
            #expect(statuses.filter { $0 == 200 }.count <= 4, "at least one of the five was used while checking")
        }
    }
}
