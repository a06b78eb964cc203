import GraphQL
import Graphiti
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

@testable import TernAPI
@testable import TernGraphQL

/// A schema whose type refers to itself, so that a small document can nest as deep as it likes.
private struct Node: Sendable {
    let name: String
    var child: Node { Node(name: name + "+") }
}

private struct NodeResolver: Sendable {
    func node(context: NoContext, arguments: NoArguments) -> Node { Node(name: "root") }
    func failing(context: NoContext, arguments: NoArguments) throws -> Node { throw APIError(.notFound, "No such node") }
    func broken(context: NoContext, arguments: NoArguments) throws -> Node { throw UnexpectedFailure() }
    func unavailable(context: NoContext, arguments: NoArguments) throws -> Node { throw StoreDown() }
}

private struct UnexpectedFailure: Error {}

/// An error of a type only the application's handlers know.
private struct StoreDown: Error {}

/// Keeps the reports it is handed.
private final class RecordingReporter: ErrorReporter {
    let reports = Mutex<[UnhandledError]>([])
    func report(_ failure: UnhandledError) { reports.withLock { $0.append(failure) } }
}

@Suite("GraphQL: query limits and errors")
struct GraphQLQueryLimitsTests {
    private static func schema() throws -> Schema<NodeResolver, NoContext> {
        try Schema<NodeResolver, NoContext> {
            Type(Node.self) {
                Field("name", at: \.name)
                Field("child", at: \.child)
            }
            Query {
                Field("node", at: NodeResolver.node)
                Field("failing", at: NodeResolver.failing)
                Field("broken", at: NodeResolver.broken)
                Field("unavailable", at: NodeResolver.unavailable)
            }
        }
    }

    private func run(_ query: String, _ limits: QueryLimits, reporter: (any ErrorReporter)? = nil) async throws -> GraphQLResult {
        var endpoint = GraphQLEndpoint(schema: try Self.schema(), resolver: NodeResolver(), limits: limits)
        endpoint.errorReporter = reporter
        return try await run(query, on: endpoint)
    }

    private func run(_ query: String, on endpoint: GraphQLEndpoint<NodeResolver, NoContext>) async throws -> GraphQLResult {
        let request = Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/graphql"),
            body: RequestBody(buffer: ByteBuffer()))
        let scope = RequestScope(
            request: IncomingRequest(request: request, pathParameters: [:], maxBodySize: 1024), logger: Logger(label: "test"), context: (),
            overrides: DependencyOverrides())
        var endpoint = endpoint
        endpoint.errorHandlers.register(StoreDown.self) { _ in APIError(.serviceUnavailable, "The store is down") }
        return try await endpoint.execute(GraphQLRequestBody(query: query), context: NoContext(), scope: scope).result
    }

    private func code(_ result: GraphQLResult) -> Map? {
        result.errors.first?.extensions["code"]
    }

    @Test("depth counts nested fields: at the limit runs, past it is refused without running")
    func depth() async throws {
        let fourDeep = "{ node { child { child { name } } } }"
        let allowed = try await run(fourDeep, QueryLimits(maxDepth: 4))
        #expect(allowed.errors.isEmpty)
        #expect(allowed.data?["node"]["child"]["child"]["name"] == "root++")
        let refused = try await run(fourDeep, QueryLimits(maxDepth: 3))
        #expect(refused.data == nil)
        #expect(code(refused) == "QUERY_TOO_DEEP")
        #expect(refused.errors.first?.message == "The operation nests fields more than 3 deep")
        // Fragments and inline fragments nest at the depth where they are spread.
        let spread = "query Deep { node { ...C } } fragment C on Node { child { ... on Node { child { name } } } }"
        #expect(code(try await run(spread, QueryLimits(maxDepth: 3))) == "QUERY_TOO_DEEP")
        #expect(try await run(spread, QueryLimits(maxDepth: 4)).errors.isEmpty)
    }

    @Test("introspection does not count towards the depth, only towards the fields")
    func introspection() async throws {
        let query = "{ __schema { types { name fields { type { name ofType { name ofType { name } } } } } } }"
        let result = try await run(query, QueryLimits(maxDepth: 1))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(code(try await run(query, QueryLimits(maxDepth: 1, maxComplexity: 5))) == "QUERY_TOO_COMPLEX")
    }

    @Test("complexity counts every field of a fragment each time it is spread, and stops counting early")
    func complexity() async throws {
        // Each level spreads the one below twice: 2^20 fields once spelled out, from a short document.
        var fragments = "fragment F20 on Node { name }"
        for level in (0..<20).reversed() {
            fragments += " fragment F\(level) on Node { ...F\(level + 1) child { ...F\(level + 1) } }"
        }
        let bomb = "{ node { ...F0 } } " + fragments
        let started = ContinuousClock.now
        let refused = try await run(bomb, QueryLimits(maxDepth: 100, maxComplexity: 1000))
        #expect(code(refused) == "QUERY_TOO_COMPLEX")
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(try await run("{ node { name child { name } } }", QueryLimits(maxComplexity: 4)).errors.isEmpty)
        #expect(code(try await run("{ node { name child { name } } }", QueryLimits(maxComplexity: 3))) == "QUERY_TOO_COMPLEX")
    }

    @Test("a fragment cycle is reported by GraphQL's own rule, not followed forever")
    func fragmentCycle() async throws {
        let cycle = "{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }"
        let result = try await run(cycle, QueryLimits())
        #expect(result.data == nil)
        #expect(result.errors.contains { $0.message.contains("Cannot spread fragment") })
    }

    @Test("a resolver's API error answers with its detail and status; any other error is a 500 that says nothing more")
    func resolverErrors() async throws {
        let failing = try await run("{ failing { name } }", QueryLimits())
        #expect(failing.errors.first?.message == "No such node")
        #expect(failing.errors.first?.extensions["status"] == 404)
        #expect(failing.errors.first?.path.elements.map(\.indexPathValue.description) == ["failing"])
        let reporter = RecordingReporter()
        let broken = try await run("{ broken { name } }", QueryLimits(), reporter: reporter)
        #expect(broken.errors.first?.message == "Internal Server Error")
        #expect(broken.errors.first?.extensions["status"] == 500)
        let report = try #require(reporter.reports.withLock { $0.first })
        #expect(report.error is UnexpectedFailure)
        #expect(report.route == "/graphql broken")
        _ = try await run("{ failing { name } }", QueryLimits(), reporter: reporter)
        #expect(reporter.reports.withLock { $0.count } == 1, "a 404 is no error to report")
        let unavailable = try await run("{ unavailable { name } }", QueryLimits(), reporter: reporter)
        #expect(unavailable.errors.first?.message == "The store is down", "the API's error handlers answer in GraphQL too")
        #expect(unavailable.errors.first?.extensions["status"] == 503)
        #expect(reporter.reports.withLock { $0.count } == 1)
        let syntax = try await run("{ node { ", QueryLimits())
        #expect(syntax.errors.first?.message.hasPrefix("Syntax Error") == true)
    }

    @Test("the schema is built by the first operation and kept; one that fails to build fails each operation until one builds")
    func schemaBuiltOnFirstUse() async throws {
        let builds = BuildCounter()
        let endpoint = GraphQLEndpoint(resolver: NodeResolver()) {
            try builds.count { try Self.schema() }
        }
        #expect(builds.attempts == 0, "making the endpoint builds nothing")
        #expect(try await run("{ node { name } }", on: endpoint).data?["node"]["name"] == "root")
        #expect(try await run("{ node { child { name } } }", on: endpoint).errors.isEmpty)
        #expect(builds.attempts == 1)

        let failing = BuildCounter(failures: 1)
        let flaky = GraphQLEndpoint(resolver: NodeResolver()) {
            try failing.count { try Self.schema() }
        }
        await #expect(throws: SchemaBuildFailure.self) { try await run("{ node { name } }", on: flaky) }
        #expect(try await run("{ node { name } }", on: flaky).data?["node"]["name"] == "root")
        #expect(try await run("{ node { name } }", on: flaky).errors.isEmpty)
        #expect(failing.attempts == 2, "a failed build is tried again, a good one kept")
    }
}

private struct SchemaBuildFailure: Error {}

/// Counts a schema's builds, failing the first `failures` of them.
private final class BuildCounter: Sendable {
    private let state: Mutex<(attempts: Int, failures: Int)>
    init(failures: Int = 0) { state = Mutex((0, failures)) }
    var attempts: Int { state.withLock { $0.attempts } }

    func count<Built>(_ build: () throws -> Built) throws -> Built {
        let fails = state.withLock { state in
            state.attempts += 1
            return state.attempts <= state.failures
        }
        if fails { throw SchemaBuildFailure() }
        return try build()
    }
}
