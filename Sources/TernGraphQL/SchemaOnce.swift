import Graphiti
import Synchronization

/// A Graphiti schema built the first time it is asked for, then kept: ``GraphQLEndpoint``'s, so that
/// start-up does not build it. A build that throws is not kept, and the next request tries again.
final class SchemaOnce<Resolver: Sendable, Context: Sendable>: Sendable {
    private let build: @Sendable () throws -> Schema<Resolver, Context>
    private let built = Mutex<Schema<Resolver, Context>?>(nil)

    init(build: @escaping @Sendable () throws -> Schema<Resolver, Context>) {
        self.build = build
    }

    func get() throws -> Schema<Resolver, Context> {
        try built.withLock { built in
            if let built { return built }
            let schema = try build()
            built = schema
            return schema
        }
    }
}
