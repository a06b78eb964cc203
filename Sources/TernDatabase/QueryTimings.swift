import Synchronization

/// Counts and times the statements a task runs, for whoever set one as the task's current
/// (`QueryTimings.$current.withValue(timings) { ... }`): a request learns how much of its time the
/// database took, for its `Server-Timing` header. The time of a round trip runs from when its
/// statements are sent to when their rows are read, a wait for the connection's thread included.
/// Every round trip counts: a transaction's `BEGIN` (with the statements sent along with it),
/// `COMMIT` and `ROLLBACK` are statements too, and a ``SQLScript`` counts as one.
public final class QueryTimings: Sendable {
    /// The timings the statements of the current task add to, if any.
    @TaskLocal public static var current: QueryTimings?

    private let statementCount = Atomic<Int>(0)
    private let roundTripCount = Atomic<Int>(0)
    private let nanoseconds = Atomic<Int64>(0)

    public init() {}

    /// How many statements ran.
    public var statements: Int { statementCount.load(ordering: .relaxed) }

    /// How many times the task waited for the database: statements sent together count once.
    public var roundTrips: Int { roundTripCount.load(ordering: .relaxed) }

    /// Their time, in all.
    public var duration: Duration { .nanoseconds(nanoseconds.load(ordering: .relaxed)) }

    func record(_ elapsed: Duration, statements: Int) {
        statementCount.wrappingAdd(statements, ordering: .relaxed)
        roundTripCount.wrappingAdd(1, ordering: .relaxed)
        let (seconds, attoseconds) = elapsed.components
        nanoseconds.wrappingAdd(seconds * 1_000_000_000 + attoseconds / 1_000_000_000, ordering: .relaxed)
    }
}
