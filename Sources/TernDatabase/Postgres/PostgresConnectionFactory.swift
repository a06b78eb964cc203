/// Opens libpq connections for the pool, each driven by one of the database's I/O loops.
struct PostgresConnectionFactory: ConnectionFactory {
    let parameters: PostgresConnectionParameters
    let statementCacheCapacity: Int
    let planCacheMode: PostgresPlanCacheMode
    let loops: PostgresIOLoops

    var dialect: SQLDialect { .postgres }

    func connect(role: ConnectionRole) throws -> any PooledConnection {
        try PostgresConnection(
            parameters: parameters, statementCacheCapacity: statementCacheCapacity, planCacheMode: planCacheMode, loops: loops)
    }

    func shutdown() async {
        await loops.shutdown()
    }
}
