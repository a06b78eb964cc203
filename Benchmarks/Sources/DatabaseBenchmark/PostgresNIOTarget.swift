import Logging
import PostgresNIO

/// PostgresNIO's `PostgresClient`, what a Swift server would otherwise use, with the same pool size.
struct PostgresNIOTarget: BenchmarkTarget {
    let name = "postgres-nio"
    let client: PostgresClient

    init(host: String, port: Int, user: String, database: String, connections: Int) {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: nil, database: database, tls: .disable)
        configuration.options.maximumConnections = connections
        configuration.options.minimumConnections = connections
        client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "postgres-nio"))
    }

    func pointSelect(id: Int) async throws {
        let rows = try await client.query("SELECT id, randomnumber FROM bench_world WHERE id = \(Int32(id))")
        var found: Int32?
        for try await (rowID, _) in rows.decode((Int32, Int32).self) { found = rowID }
        precondition(found == Int32(id))
    }

    func insert(title: String, number: Int) async throws {
        try await client.query("INSERT INTO bench_item (title, number) VALUES (\(title), \(Int32(number)))")
    }
}
