import Foundation

// Database benchmark: point select by primary key and single-row insert, at concurrency 1 and 16,
// through Tern's pool on PostgreSQL and SQLite, and through PostgresNIO and pgbench -M prepared on
// the same PostgreSQL server in the same run; Tern a second time with its client tasks on the
// database's I/O threads (`Database.statementExecutor`), as pgbench runs its clients. Each case
// alternates the PostgreSQL clients over several rounds, so that drift on a noisy machine hits them alike.
//
// Usage: DatabaseBenchmark POSTGRES_URL SQLITE_PATH [SECONDS_PER_CASE]
//        CASE=point-select:16:io DatabaseBenchmark ...   (one case alone, with each side's CPU per query)
// (Benchmarks/run-database-benchmark starts a throwaway PostgreSQL server and passes its URL.)

let arguments = CommandLine.arguments
guard arguments.count >= 3, let components = URLComponents(string: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: DatabaseBenchmark POSTGRES_URL SQLITE_PATH [SECONDS_PER_CASE]\n".utf8))
    exit(2)
}
let secondsPerCase = arguments.count > 3 ? Double(arguments[3]) ?? 6 : 6
let rounds = 3
let connections = 16

let ternPostgres = try TernTarget(name: "tern", url: arguments[1], connections: connections)
let ternOnIOThreads = TernTarget(onIOThreadsOf: ternPostgres)
let ternSQLite = try TernTarget(name: "tern", url: "sqlite://" + arguments[2], connections: connections)
let nio = PostgresNIOTarget(
    host: components.host ?? "127.0.0.1", port: components.port ?? 5432, user: components.user ?? "postgres",
    database: String(components.path.dropFirst()), connections: connections)

let pgbench = Pgbench(url: arguments[1])
let nioTask = Task { await nio.client.run() }
try await ternPostgres.prepare()
try await ternSQLite.prepare()
if let text = ProcessInfo.processInfo.environment["CASE"] {
    guard let single = OneCase(text) else {
        FileHandle.standardError.write(Data("CASE is OPERATION:CONCURRENCY[:io], such as point-select:16:io\n".utf8))
        exit(2)
    }
    try await single.run(ternPostgres, pgbench, seconds: secondsPerCase)
    exit(0)
}

func format(_ rate: Double) -> String {
    String(format: "%9.0f/s", rate)
}

let slice = Duration.milliseconds(Int64(secondsPerCase * 1000 / Double(rounds)))
print("connections per pool: \(connections); \(secondsPerCase) s per client per case, in \(rounds) alternating rounds")
for operation in Operation.allCases {
    for concurrency in [1, 16] {
        // Warm up: open connections and prepare statements.
        _ = try await measure(ternPostgres, operation, concurrency: concurrency, duration: .milliseconds(300))
        _ = try await measure(nio, operation, concurrency: concurrency, duration: .milliseconds(300))
        _ = try await measure(ternOnIOThreads, operation, concurrency: concurrency, duration: .milliseconds(300))
        var tern = 0.0
        var peer = 0.0
        var ceiling = 0.0
        var ternOnLoops = 0.0
        for _ in 0..<rounds {
            tern += try await measure(ternPostgres, operation, concurrency: concurrency, duration: slice) / Double(rounds)
            peer += try await measure(nio, operation, concurrency: concurrency, duration: slice) / Double(rounds)
            ceiling += try pgbench.measure(operation, concurrency: concurrency, duration: slice) / Double(rounds)
            ternOnLoops += try await measure(ternOnIOThreads, operation, concurrency: concurrency, duration: slice) / Double(rounds)
        }
        print(
            "postgres  \(operation.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) c=\(String(concurrency).padding(toLength: 2, withPad: " ", startingAt: 0))"
                + "  tern \(format(tern))  postgres-nio \(format(peer))  ratio \(String(format: "%.2f", tern / peer))"
                + "  pgbench \(format(ceiling))  tern/pgbench \(String(format: "%.2f", tern / ceiling))"
                + "  on I/O threads \(format(ternOnLoops))  ratio to pgbench \(String(format: "%.2f", ternOnLoops / ceiling))")
    }
}
for operation in Operation.allCases {
    for concurrency in [1, 16] {
        _ = try await measure(ternSQLite, operation, concurrency: concurrency, duration: .milliseconds(300))
        let rate = try await measure(ternSQLite, operation, concurrency: concurrency, duration: .milliseconds(Int64(secondsPerCase * 1000)))
        print(
            "sqlite    \(operation.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) c=\(String(concurrency).padding(toLength: 2, withPad: " ", startingAt: 0))"
                + "  tern \(format(rate))  (no peer: PostgresNIO has no SQLite)")
    }
}
nioTask.cancel()
await ternPostgres.database.close()
await ternSQLite.database.close()
