import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import TernAPI

/// What the background tasks of the test operations did, and when.
final class BackgroundLog: Sendable {
    let entries = Mutex<[String]>([])
    /// Opened by the test once it has the response: a task waiting on it proves it ran after.
    let responseReceived = Mutex<Bool>(false)

    func record(_ entry: String) { entries.withLock { $0.append(entry) } }
}

extension BackgroundLog: ContextDependency {
    static func resolve(from log: BackgroundLog, in scope: RequestScope) async throws -> BackgroundLog { log }
}

@Input
struct BackgroundInput {
    @Query var fail: Bool = false
    @Depends var background: BackgroundTasks
    @Depends var log: BackgroundLog
}

@APIRouter(prefix: "/background")
struct BackgroundRouter {
    @POST("/", status: .accepted)
    func schedule(_ input: BackgroundInput) async throws -> String {
        let log = input.log
        input.background.add("first") {
            // Runs only after the client has the response: it waits for the test to say so.
            for _ in 0..<3000 where !log.responseReceived.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            log.record(log.responseReceived.withLock { $0 } ? "first, after the response" : "first, before the response")
        }
        input.background.add("throws") { throw APIError(.badRequest, "ignored") }
        input.background.add("last") { [fail = input.fail] in log.record(fail ? "last of a failed call" : "last") }
        if input.fail { throw APIError(.conflict, "No") }
        return "scheduled"
    }
}

@Suite("Background tasks", .timeLimit(.minutes(2)))
struct BackgroundTasksTests {
    @Test("tasks run after the response is written, in order; one that throws does not stop the others")
    func runAfterResponse() async throws {
        let log = BackgroundLog()
        var api = TypedAPI(title: "Background", version: "1", context: log)
        api.include(BackgroundRouter())
        let router = Router()
        try api.install(on: router)
        try await Application(router: router).test(.live) { client in
            try await client.execute(uri: "/background/", method: .post) { response in
                #expect(response.status == .accepted)
                #expect(log.entries.withLock { $0 }.isEmpty)
            }
            log.responseReceived.withLock { $0 = true }
            for _ in 0..<3000 where log.entries.withLock({ $0.count }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(log.entries.withLock { $0 } == ["first, after the response", "last"])
        }
    }

    @Test("a failed operation runs none of its tasks")
    func notAfterFailure() async throws {
        let log = BackgroundLog()
        log.responseReceived.withLock { $0 = true }
        var api = TypedAPI(title: "Background", version: "1", context: log)
        api.include(BackgroundRouter())
        let router = Router()
        try api.install(on: router)
        try await Application(router: router).test(.live) { client in
            try await client.execute(uri: "/background/?fail=true", method: .post) { response in
                #expect(response.status == .conflict)
            }
            // A successful call afterwards shows tasks would have run by now.
            try await client.execute(uri: "/background/", method: .post) { _ in }
            for _ in 0..<3000 where !log.entries.withLock({ $0.contains("last") }) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(log.entries.withLock { $0 } == ["first, after the response", "last"])
        }
    }
}
