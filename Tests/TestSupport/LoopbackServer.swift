import Hummingbird
import Logging

/// Serves `router` on a free loopback port for the duration of `body`, which gets the port: a
/// stand-in for a service the code under test calls (an identity provider, an error tracker, a
/// trace collector). Quiet: such a server reports its own shutdown, at the end of every test, as an
/// error.
public func withLoopbackServer<T: Sendable>(
    _ router: Router<BasicRequestContext>, _ body: (_ port: Int) async throws -> T
) async throws -> T {
    let (ports, portFound) = AsyncStream.makeStream(of: Int.self)
    let application = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { portFound.yield($0.localAddress?.port ?? 0) },
        logger: Logger(label: "loopback-server", factory: { _ in SwiftLogNoOpLogHandler() }))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await application.runService(gracefulShutdownSignals: []) }
        defer { group.cancelAll() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port != 0 else { throw LoopbackServerDidNotStart() }
        return try await body(port)
    }
}

/// The stand-in server found no port to listen on.
public struct LoopbackServerDidNotStart: Error {}
