import TernDatabase

/// Tern's `Database` (libpq or sqlite3 on its own threads, through the pool).
struct TernTarget: BenchmarkTarget {
    struct World: Decodable {
        let id: Int
        let randomnumber: Int
    }

    let name: String
    let database: Database
    /// Whether client tasks run on the database's I/O threads (`Database.statementExecutor`), as
    /// pgbench's clients run on the threads that poll their connections.
    let onIOThreads: Bool

    init(name: String, url: String, connections: Int) throws {
        self.name = name
        database = Database(DatabaseConfiguration(url: try DatabaseURL(url), maxConnections: connections))
        onIOThreads = false
    }

    /// The same database, its client tasks on its I/O threads.
    init(onIOThreadsOf other: TernTarget) {
        name = other.name + " on I/O threads"
        database = other.database
        onIOThreads = true
    }

    var taskExecutor: (any TaskExecutor)? {
        onIOThreads ? database.statementExecutor : nil
    }

    func prepare() async throws {
        for table in ["bench_world", "bench_item"] {
            try await database.execute("DROP TABLE IF EXISTS \(identifier: table)")
        }
        try await database.execute(SQL(unsafeSQL: Workload.createWorld))
        let createItem = database.dialect == .postgres ? Workload.createItemPostgres : Workload.createItemSQLite
        try await database.execute(SQL(unsafeSQL: createItem))
        try await database.transaction { transaction in
            for id in 1...Workload.rowCount {
                try await transaction.execute(
                    "INSERT INTO bench_world (id, randomnumber) VALUES (\(id), \(Int.random(in: 1...10_000)))")
            }
        }
    }

    func pointSelect(id: Int) async throws {
        let world = try await database.queryFirst(
            "SELECT id, randomnumber FROM bench_world WHERE id = \(id)", as: World.self)
        precondition(world?.id == id)
    }

    func insert(title: String, number: Int) async throws {
        try await database.execute("INSERT INTO bench_item (title, number) VALUES (\(title), \(number))")
    }
}
