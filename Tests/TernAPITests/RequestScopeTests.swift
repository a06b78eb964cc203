import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

@testable import TernAPI

/// Counts how often a dependency was built.
private final class Resolutions: Sendable {
    let count = Atomic<Int>(0)
}

/// A dependency that takes a while to build, as one that queries a database does.
private struct SlowDependency: ContextDependency {
    let serial: Int

    static func resolve(from resolutions: Resolutions, in scope: RequestScope) async throws -> SlowDependency {
        let serial = resolutions.count.wrappingAdd(1, ordering: .relaxed).newValue
        try await Task.sleep(for: .milliseconds(20))
        return SlowDependency(serial: serial)
    }
}

private struct Refusal: Error {}

/// Which completion actions ran.
private final class Ran: Sendable {
    let indices = Mutex<[Int]>([])
}

/// A dependency that fails after a while.
private struct FailingDependency: Dependency {
    static func resolve(_: NoInput, in scope: RequestScope) async throws -> FailingDependency {
        try await Task.sleep(for: .milliseconds(20))
        throw Refusal()
    }
}

/// Dependencies that need each other.
private struct Chicken: Dependency {
    @Input
    struct Needs {
        @Depends var egg: Egg
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> Chicken { Chicken() }
}

private struct Egg: Dependency {
    @Input
    struct Needs {
        @Depends var chicken: Chicken
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> Egg { Egg() }
}

/// Three dependencies in a ring: a cycle two steps longer than a dependency asking for itself.
private struct Rock: Dependency {
    @Input
    struct Needs {
        @Depends var paper: Paper
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> Rock { Rock() }
}

private struct Paper: Dependency {
    @Input
    struct Needs {
        @Depends var scissors: Scissors
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> Paper { Paper() }
}

private struct Scissors: Dependency {
    @Input
    struct Needs {
        @Depends var rock: Rock
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> Scissors { Scissors() }
}

/// Two dependencies that each need the slow one, and one that resolves both at once: the second to
/// ask for the slow one waits for it while it is being built, a wait and not a cycle.
private struct LeftHand: Dependency {
    let slow: SlowDependency

    @Input
    struct Needs {
        @Depends var slow: SlowDependency
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> LeftHand { LeftHand(slow: needs.slow) }
}

private struct RightHand: Dependency {
    let slow: SlowDependency

    @Input
    struct Needs {
        @Depends var slow: SlowDependency
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> RightHand { RightHand(slow: needs.slow) }
}

private struct BothHands: Dependency {
    let serials: [Int]

    static func resolve(_: NoInput, in scope: RequestScope) async throws -> BothHands {
        async let left = scope.resolve(LeftHand.self)
        async let right = scope.resolve(RightHand.self)
        return try await BothHands(serials: [left.slow.serial, right.slow.serial])
    }
}

private func makeScope(context: any Sendable = ()) -> RequestScope {
    let request = Request(
        head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/"), body: RequestBody(buffer: ByteBuffer()))
    return RequestScope(
        request: IncomingRequest(request: request, pathParameters: [:], maxBodySize: 1024), logger: Logger(label: "test"),
        context: context, overrides: DependencyOverrides())
}

@Suite("Request scope", .timeLimit(.minutes(1)))
struct RequestScopeTests {
    @Test("a dependency resolved by many tasks at once is built once, and all get that value")
    func concurrentResolution() async throws {
        let resolutions = Resolutions()
        let scope = makeScope(context: resolutions)
        let serials = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 { group.addTask { try await scope.resolve(SlowDependency.self).serial } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(serials.count == 50)
        #expect(Set(serials) == [1])
        #expect(resolutions.count.load(ordering: .relaxed) == 1)
    }

    @Test("async let on two dependencies sharing a third")
    func asyncLet() async throws {
        let resolutions = Resolutions()
        let scope = makeScope(context: resolutions)
        async let first = scope.resolve(SlowDependency.self)
        async let second = scope.resolve(SlowDependency.self)
        let (a, b) = try await (first, second)
        #expect(a.serial == b.serial)
        #expect(resolutions.count.load(ordering: .relaxed) == 1)
    }

    @Test("a failure reaches every task waiting for the dependency")
    func concurrentFailure() async throws {
        let scope = makeScope()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do {
                        _ = try await scope.resolve(FailingDependency.self)
                        return false
                    } catch is Refusal {
                        return true
                    }
                }
            }
            for try await failed in group { #expect(failed) }
        }
    }

    @Test("dependencies that need each other fail with a cycle instead of waiting forever")
    func cycle() async throws {
        let error = await #expect(throws: DependencyCycle.self) { try await makeScope().resolve(Chicken.self) }
        #expect(error?.description == "the dependency Chicken depends on itself")
    }

    @Test("a cycle through three dependencies fails as the shortest one does")
    func longerCycle() async throws {
        let error = await #expect(throws: DependencyCycle.self) { try await makeScope().resolve(Rock.self) }
        #expect(error?.description == "the dependency Rock depends on itself")
    }

    @Test("a dependency two others need while resolved at once is waited for, not taken for a cycle")
    func sharedNeedResolvedConcurrently() async throws {
        let resolutions = Resolutions()
        let hands = try await makeScope(context: resolutions).resolve(BothHands.self)
        #expect(hands.serials == [1, 1])
        #expect(resolutions.count.load(ordering: .relaxed) == 1)
    }

    @Test("completion actions run once, last registered first, even when registered from several tasks")
    func completions() async throws {
        let scope = makeScope()
        let ran = Ran()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask { scope.onCompletion { _ in ran.indices.withLock { $0.append(index) } } }
            }
        }
        try await scope.complete(succeeded: true)
        try await scope.complete(succeeded: true)
        #expect(ran.indices.withLock { $0.sorted() } == Array(0..<20))
    }
}
