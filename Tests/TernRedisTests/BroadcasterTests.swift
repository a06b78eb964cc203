import Foundation
import Logging
import TestSupport
import Testing

@testable import TernBroadcast
@testable import TernRedis

@Suite("Broadcasting to every process's listeners", .timeLimit(.minutes(2)))
struct BroadcasterTests {
    /// The next message of `stream`, or `nil` after `seconds`.
    private func next(_ stream: AsyncStream<String>, within seconds: Double = 10) async -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test("in one process: each listener of a topic gets its messages, no other topic's")
    func inProcess() async throws {
        let broadcaster = InProcessBroadcaster()
        let first = broadcaster.messages(of: "a")
        let second = broadcaster.messages(of: "a")
        let other = broadcaster.messages(of: "b")
        try await broadcaster.publish("hello", to: "a")
        #expect(await next(first) == "hello")
        #expect(await next(second) == "hello")
        #expect(await next(other, within: 0.2) == nil)
    }

    @Test("through Redis: a message published by one process reaches the listeners of another, in order")
    func acrossProcesses() async throws {
        let configuration = try RedisConfiguration(url: try RedisTestServer.sharedURL())
        let key = "test:\(UUID().uuidString):broadcast"
        let (oneRedis, twoRedis) = (
            RedisClient(configuration: configuration, logger: Logger(label: "one")),
            RedisClient(configuration: configuration, logger: Logger(label: "two"))
        )
        defer {
            oneRedis.close()
            twoRedis.close()
        }
        let one = RedisBroadcaster(redis: oneRedis, key: key, logger: Logger(label: "one"))
        let two = RedisBroadcaster(redis: twoRedis, key: key, logger: Logger(label: "two"))
        let listening = two.messages(of: "user:1")
        let elsewhere = two.messages(of: "user:2")
        let warmUp = two.messages(of: "warm-up")
        let reader = Task { try await two.run() }
        defer { reader.cancel() }
        // The reader starts after the stream's newest entry, so what is published before it has read
        // where that is never reaches it: publish to another topic until the reader passes one on.
        let readerStarted = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                var iterator = warmUp.makeAsyncIterator()
                return await iterator.next() != nil
            }
            group.addTask {
                for _ in 0..<40 {
                    try? await one.publish("ready?", to: "warm-up")
                    try? await Task.sleep(for: .milliseconds(250))
                }
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        try #require(readerStarted, "the reader never passed a message on")
        let lengthBefore = try await oneRedis.send("XLEN", .string(key)).integer ?? 0

        try await one.publish("first", to: "user:1")
        try await one.publish("second", to: "user:1")
        let received = await withTaskGroup(of: [String].self) { group in
            group.addTask {
                var iterator = listening.makeAsyncIterator()
                var messages: [String] = []
                while messages.count < 2, let message = await iterator.next() { messages.append(message) }
                return messages
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(10))
                return []
            }
            let first = await group.next() ?? []
            group.cancelAll()
            return first
        }
        #expect(received == ["first", "second"])
        #expect(await next(elsewhere, within: 0.3) == nil)
        let length = try await oneRedis.send("XLEN", .string(key)).integer
        #expect(length == lengthBefore + 2)
        try await oneRedis.send("DEL", .string(key))
    }
}
