import Foundation
import NIOPosix
import Testing

@testable import TernAPI

private struct Refused: Error {}

@Suite("runInThreadPool")
struct RunInThreadPoolTests {
    @Test("work runs on NIO's thread pool, off the event loops, and hands back its value or its error")
    func offTheLoops() async throws {
        let (thread, onEventLoop) = try await runInThreadPool {
            (Thread.current.name ?? "", MultiThreadedEventLoopGroup.currentEventLoop != nil)
        }
        #expect(thread.contains("TP-#"), "ran on \(thread)")  // the singleton pool's threads: SGLTN-TP-#n
        #expect(!onEventLoop)
        #expect(try await runInThreadPool { (1...100).reduce(0, +) } == 5050)
        await #expect(throws: Refused.self) { try await runInThreadPool { throw Refused() } }
    }
}
