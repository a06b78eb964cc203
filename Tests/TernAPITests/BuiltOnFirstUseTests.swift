import Synchronization
import Testing

@testable import TernAPI

/// What the OpenAPI document is served through: built at the first request, not at start-up, and
/// once, however many requests ask for it together.
@Suite("Built on first use")
struct BuiltOnFirstUseTests {
    struct BuildFailed: Error {}

    @Test("nothing is built until asked; concurrent first requests share one build; the value is kept")
    func buildsOnce() async throws {
        let builds = Atomic(0)
        let document = BuiltOnFirstUse { () -> [UInt8] in
            builds.add(1, ordering: .relaxed)
            return Array("{}".utf8)
        }
        #expect(builds.load(ordering: .relaxed) == 0)
        let values = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<16 { group.addTask { try document.value() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values.count == 16)
        #expect(values.allSatisfy { $0 == Array("{}".utf8) })
        #expect(try document.value() == Array("{}".utf8))
        #expect(builds.load(ordering: .relaxed) == 1)
    }

    @Test("a build that throws is not kept: the next request builds again")
    func failedBuildIsRetried() throws {
        let attempts = Atomic(0)
        let value = BuiltOnFirstUse { () -> Int in
            guard attempts.add(1, ordering: .relaxed).newValue > 1 else { throw BuildFailed() }
            return 42
        }
        #expect(throws: BuildFailed.self) { try value.value() }
        #expect(try value.value() == 42)
        #expect(try value.value() == 42)
        #expect(attempts.load(ordering: .relaxed) == 2)
    }
}
