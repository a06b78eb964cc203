/// Opens libpq connections for the pool.
struct PostgresConnectionFactory: ConnectionFactory {
    let parameters: PostgresConnectionParameters
    let statementCacheCapacity: Int

    var dialect: SQLDialect { .postgres }

    func connect(role: ConnectionRole) throws -> any BlockingConnection {
        try PostgresConnection(parameters: parameters, statementCacheCapacity: statementCacheCapacity)
    }
}
