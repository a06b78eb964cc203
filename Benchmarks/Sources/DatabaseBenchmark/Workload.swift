/// One operation the benchmark repeats: a point select by primary key or a single-row insert.
enum Operation: String, CaseIterable {
    case pointSelect = "point-select"
    case insert = "insert"
}

/// Something that can run the benchmark's operations: Tern's database on PostgreSQL or SQLite, or
/// PostgresNIO on the same PostgreSQL.
protocol BenchmarkTarget: Sendable {
    var name: String { get }
    func pointSelect(id: Int) async throws
    func insert(title: String, number: Int) async throws
    /// The executor each client task prefers, asked once per task; `nil`: the global one.
    var taskExecutor: (any TaskExecutor)? { get }
}

extension BenchmarkTarget {
    var taskExecutor: (any TaskExecutor)? { nil }
}

/// The table sizes and names shared by every target.
enum Workload {
    static let rowCount = 10_000

    static let createWorld = "CREATE TABLE bench_world (id INTEGER PRIMARY KEY, randomnumber INTEGER NOT NULL)"
    static let createItemPostgres = "CREATE TABLE bench_item (id BIGSERIAL PRIMARY KEY, title TEXT NOT NULL, number INTEGER NOT NULL)"
    static let createItemSQLite = "CREATE TABLE bench_item (id INTEGER PRIMARY KEY, title TEXT NOT NULL, number INTEGER NOT NULL)"
}

/// Runs `operation` from `concurrency` tasks for `duration`; returns completed operations per second.
func measure(
    _ target: some BenchmarkTarget, _ operation: Operation, concurrency: Int, duration: Duration
) async throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + duration
    let completed = try await withThrowingTaskGroup(of: Int.self) { group in
        for worker in 0..<concurrency {
            group.addTask(executorPreference: target.taskExecutor) {
                var count = 0
                var random = SplitMix64(seed: UInt64(worker))
                while clock.now < deadline {
                    switch operation {
                    case .pointSelect:
                        try await target.pointSelect(id: Int.random(in: 1...Workload.rowCount, using: &random))
                    case .insert:
                        try await target.insert(title: "item \(worker)-\(count)", number: count)
                    }
                    count += 1
                }
                return count
            }
        }
        return try await group.reduce(0, +)
    }
    let elapsed = clock.now - start
    return Double(completed) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}

/// The ids a client picks: a few arithmetic steps per number, as pgbench's own generator, where the
/// system's generator would cost each query a `getrandom` call that pgbench does not make.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
