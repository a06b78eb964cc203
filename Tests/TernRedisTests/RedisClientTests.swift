import Foundation
import Logging
import NIOPosix
import TestSupport
import Testing

@testable import TernRedis

/// A client of the shared test server, and a key prefix of the test's own.
private func sharedClient(_ change: (inout RedisConfiguration) -> Void = { _ in }) throws -> (RedisClient, String) {
    var configuration = try RedisConfiguration(url: try RedisTestServer.sharedURL())
    change(&configuration)
    return (RedisClient(configuration: configuration, logger: Logger(label: "test")), "test:\(UUID().uuidString):")
}

// Three minutes: alone, the suite takes seconds; in the full run its outage tests take about 50 s (the
// kills and restarts wait their turn with everything else running at once), and went past a minute
// on a loaded CI machine.
@Suite("Redis client", .timeLimit(.minutes(3)))
struct RedisClientTests {
    @Test("typed replies: status, bytes, integers, nil, arrays")
    func typedReplies() async throws {
        let (redis, prefix) = try sharedClient()
        defer { redis.close() }
        let binary: [UInt8] = [0, 13, 10, 255, 36, 42]
        #expect(try await redis.send("SET", .string(prefix + "b"), .bytes(binary)) == .simpleString("OK"))
        #expect(try await redis.send("GET", .string(prefix + "b")) == .bulkString(binary))
        #expect(try await redis.send("GET", .string(prefix + "missing")) == .null)
        #expect(try await redis.send("INCRBY", .string(prefix + "n"), 41) == .integer(41))
        #expect(try await redis.send("GET", .string(prefix + "n")).integer == 41)
        try await redis.send("RPUSH", .string(prefix + "l"), "é", "")
        #expect(try await redis.send("LRANGE", .string(prefix + "l"), 0, -1) == .array([.bulkString(Array("é".utf8)), .bulkString([])]))
    }

    @Test("error replies are typed: wrong type, a server error with its prefix")
    func errorReplies() async throws {
        let (redis, prefix) = try sharedClient()
        defer { redis.close() }
        try await redis.send("SET", .string(prefix + "s"), "text")
        await #expect(throws: RedisError.wrongType("WRONGTYPE Operation against a key holding the wrong kind of value")) {
            try await redis.send("LPUSH", .string(prefix + "s"), "x")
        }
        do {
            try await redis.send("NOSUCHCOMMAND")
            Issue.record("an unknown command succeeded")
        } catch .server(let error) {
            #expect(error.prefix == "ERR")
        }
        // The connection is still in step after errors.
        #expect(try await redis.send("GET", .string(prefix + "s")).string == "text")
    }

    @Test("a pipeline answers in order, an error among them as a value")
    func pipeline() async throws {
        let (redis, prefix) = try sharedClient()
        defer { redis.close() }
        let replies = try await redis.pipeline([
            ["SET", .string(prefix + "k"), "v"], ["LPUSH", .string(prefix + "k"), "x"], ["GET", .string(prefix + "k")],
        ])
        #expect(replies.count == 3)
        #expect(replies[0] == .simpleString("OK"))
        #expect(replies[1].isError)
        #expect(replies[2] == .bulkString(Array("v".utf8)))
    }

    @Test("a thousand concurrent commands over two connections, each answered with its own reply")
    func concurrentCommands() async throws {
        let (redis, prefix) = try sharedClient()
        defer { redis.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<1000 {
                group.addTask {
                    try await redis.send("SET", .string(prefix + "\(index)"), .integer(Int64(index)))
                    let value = try await redis.send("GET", .string(prefix + "\(index)")).integer
                    #expect(value == Int64(index))
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("scripts run by SHA-1 and are sent again after SCRIPT FLUSH")
    func scripts() async throws {
        // A server of its own: SCRIPT FLUSH would drop the scripts of every test sharing the server.
        try await RedisTestServer.with { server in
            let redis = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: Logger(label: "test"))
            defer { redis.close() }
            let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
            #expect(script.sha1.count == 40)
            #expect(try await redis.run(script, keys: ["c"], arguments: [5]) == .integer(5))
            try await redis.send("SCRIPT", "FLUSH")
            #expect(try await redis.run(script, keys: ["c"], arguments: [2]) == .integer(7))
            #expect(try await redis.send("SCRIPT", "EXISTS", .string(script.sha1)) == .array([.integer(1)]), "held again")
        }
    }

    @Test("a reply later than the command timeout fails that command, and the client goes on")
    func commandTimeout() async throws {
        // A server of its own: CLIENT PAUSE would hold up every test sharing the server.
        try await RedisTestServer.with { server in
            var configuration = try RedisConfiguration(url: server.url)
            configuration.commandTimeout = .milliseconds(500)
            configuration.connectionCount = 1
            let redis = RedisClient(configuration: configuration, logger: Logger(label: "test"))
            defer { redis.close() }
            let other = RedisClient(
                configuration: try RedisConfiguration(url: server.url, commandTimeout: .seconds(10)), logger: Logger(label: "test"))
            defer { other.close() }
            try await other.send("SET", "k", "v")
            // Paused far longer than the timeout, so that even a loaded machine sends the GET meanwhile.
            // (3 s was not enough for a full CI run, which the GET reached after the pause ended.)
            try await other.send("CLIENT", "PAUSE", 10000, "ALL")
            await #expect(throws: RedisError.timeout) { try await redis.send("GET", "k") }
            // Once Redis answers again, so does the client (on a new connection: the old one closed).
            var value: String?
            for _ in 0..<300 where value == nil {
                value = try? await redis.send("GET", "k").string
                if value == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(value == "v")
        }
    }

    @Test("a reply larger than the client accepts closes that connection only")
    func oversizeReply() async throws {
        let (redis, prefix) = try sharedClient {
            $0.maxReplyBytes = 1024
            $0.connectionCount = 1
        }
        defer { redis.close() }
        try await redis.send("SET", .string(prefix + "big"), .bytes(Array(repeating: 65, count: 4096)))
        // Again and again: the next command, sent as soon as the failure is known, must go out on a new
        // connection, not on the one closing (which once failed it with "connection lost").
        for _ in 0..<50 {
            await #expect(throws: RedisError.self) { try await redis.send("GET", .string(prefix + "big")) }
            #expect(try await redis.send("STRLEN", .string(prefix + "big")) == .integer(4096))
        }
    }

    @Test("AUTH and SELECT from the URL; a wrong password fails to connect")
    func authenticationAndDatabase() async throws {
        try await RedisTestServer.with { server in
            let admin = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: Logger(label: "test"))
            defer { admin.close() }
            try await admin.send("CONFIG", "SET", "requirepass", "s3cret")
            let port = try #require(server.url.split(separator: ":").last?.split(separator: "/").first)
            let authenticated = RedisClient(
                configuration: try RedisConfiguration(url: "redis://:s3cret@127.0.0.1:\(port)/3"), logger: Logger(label: "test"))
            defer { authenticated.close() }
            try await authenticated.send("SET", "where", "three")
            #expect(try await authenticated.pipeline([["SELECT", 0], ["EXISTS", "where"]])[1] == .integer(0))
            let wrong = RedisClient(
                configuration: try RedisConfiguration(url: "redis://default:wrong@127.0.0.1:\(port)/0"), logger: Logger(label: "test"))
            defer { wrong.close() }
            await #expect {
                try await wrong.send("PING")
            } throws: { error in
                guard case RedisError.connectionFailed(let reason) = error else { return false }
                return reason.contains("WRONGPASS")
            }
        }
    }

    @Test("Redis killed: commands fail with a typed error, not a crash or a hang; once it is back, they succeed again")
    func outageAndRecovery() async throws {
        try await RedisTestServer.with { server in
            let redis = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: Logger(label: "test"))
            defer { redis.close() }
            try await redis.send("SET", "k", "v")
            try await server.kill()
            for _ in 0..<20 {
                await #expect {
                    try await redis.send("GET", "k")
                } throws: { error in
                    switch error as? RedisError {
                    case .connectionLost, .connectionFailed, .timeout: true
                    default: false
                    }
                }
            }
            try await server.restart()
            var recovered = false
            for _ in 0..<50 where !recovered {
                recovered = (try? await redis.send("PING")) == .simpleString("PONG")
                if !recovered { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(recovered)
            // One connection back means the server is: the others reconnect on their next command
            // instead of failing until their own backoff ends.
            for _ in 0..<(2 * redis.configuration.connectionCount) {
                #expect(try await redis.send("GET", "k") == .null, "a restarted test server holds no data")
            }
        }
    }
    @Test("once one connection gets through after an outage, the others stop backing off")
    func backoffEndsWhenAnotherConnects() async throws {
        try await RedisTestServer.with { server in
            let configuration = try RedisConfiguration(url: server.url)
            let connections = ConnectionSlot.Connections()
            let (first, second) = (
                ConnectionSlot(
                    configuration: configuration, eventLoop: MultiThreadedEventLoopGroup.singleton.next(), connections: connections,
                    logger: Logger(label: "test")),
                ConnectionSlot(
                    configuration: configuration, eventLoop: MultiThreadedEventLoopGroup.singleton.next(), connections: connections,
                    logger: Logger(label: "test"))
            )
            defer {
                first.close()
                second.close()
            }
            try await server.kill()
            // The second fails until its backoff is the longest (1.6 s after its last attempt).
            let longestBackoffReached = ContinuousClock.now + .seconds(4)
            while ContinuousClock.now < longestBackoffReached {
                _ = try? await second.connection()
                try await Task.sleep(for: .milliseconds(20))
            }
            try await server.restart()
            _ = try await first.connection()
            // Still within its own backoff (unless restarting took longer than it), yet it connects.
            _ = try await second.connection()
        }
    }
}

@Suite("REDIS_URL")
struct RedisConfigurationTests {
    @Test("host, port, credentials and database")
    func parses() throws {
        let full = try RedisConfiguration(url: "redis://user:p%40ss@cache.internal:6380/2")
        #expect(full.host == "cache.internal")
        #expect(full.port == 6380)
        #expect(full.username == "user")
        #expect(full.password == "p@ss")
        #expect(full.database == 2)
        #expect(full.redactedURL == "redis://user:***@cache.internal:6380/2")
        let plain = try RedisConfiguration(url: "redis://localhost")
        #expect(plain.port == 6379 && plain.database == 0 && plain.password == nil)
        let passwordOnly = try RedisConfiguration(url: "redis://:secret@[::1]:7000")
        #expect(
            passwordOnly.host == "::1" && passwordOnly.port == 7000 && passwordOnly.username == nil && passwordOnly.password == "secret")
    }

    @Test(
        "rediss:// and malformed URLs are refused with the reason",
        arguments: ["rediss://localhost", "http://x", "redis://:6379", "redis://h:0", "redis://h/x"])
    func refuses(url: String) {
        #expect(throws: RedisConfiguration.InvalidURL.self) { try RedisConfiguration(url: url) }
    }
}

extension RedisValue {
    var isError: Bool {
        if case .error = self { return true }
        return false
    }
}
