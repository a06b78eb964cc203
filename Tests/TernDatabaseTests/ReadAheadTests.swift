import TestSupport
import Testing

@testable import TernDatabase

@Suite("Reads ahead", .timeLimit(.minutes(5)))
struct ReadAheadTests {
    @Test("reads added ahead travel with the next statement, in one round trip, each with its own value", arguments: Backend.allCases)
    func travelTogether(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let timings = QueryTimings()
            try await QueryTimings.$current.withValue(timings) {
                let readAhead = ReadAhead()
                let one = readAhead.add(Statement.first("SELECT \(1) + 0 AS v", as: Int.self))
                let none = readAhead.add(Statement.first("SELECT \(2) AS v WHERE 1 = 0", as: Int.self))
                let carried = try await readAhead.query(Statement.first("SELECT \(3) * 1 AS v", as: Int.self), on: database)
                #expect(carried == 3)
                #expect(try one.arrived() == 1)
                #expect(try await one.value(on: database) == 1)
                #expect(try await none.value(on: database) == nil)
            }
            #expect(timings.statements == 3)
            #expect(timings.roundTrips == 1, "one round trip for all three")
        }
    }

    @Test("a read that nothing took along runs on its own when asked", arguments: Backend.allCases)
    func runsAlone(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let timings = QueryTimings()
            let read = ReadAhead().add(Statement.first("SELECT \(7) + 0 AS v", as: Int.self))
            #expect(try read.arrived() == nil, "not travelled")
            let value = try await QueryTimings.$current.withValue(timings) { try await read.value(on: database) }
            #expect(value == 7)
            #expect(timings.roundTrips == 1)
        }
    }

    @Test("each read is sent once: the statement after the first does not take it again", arguments: Backend.allCases)
    func sentOnce(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
            let readAhead = ReadAhead()
            // A write only because its effect shows how often it ran.
            let insert = readAhead.add(Statement.execute("INSERT INTO counter (value) VALUES (\(1))"))
            _ = try await readAhead.query(Statement.first("SELECT \(1) AS v", as: Int.self), on: database)
            _ = try await readAhead.query(Statement.first("SELECT \(2) AS v", as: Int.self), on: database)
            #expect(try await insert.value(on: database) == 1)
            #expect(try await counterValues(database) == [1])
        }
    }

    @Test("a read ahead that cannot be decoded fails when it is asked for, not the statement that carried it", arguments: Backend.allCases)
    func decodingFailureStaysWithItsRead(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let readAhead = ReadAhead()
            let text = readAhead.add(Statement.first("SELECT 'not a number' AS v", as: Int.self))
            let carried = try await readAhead.query(Statement.first("SELECT \(5) + 0 AS v", as: Int.self), on: database)
            #expect(carried == 5)
            let error = await #expect(throws: DatabaseError.self) { try await text.value(on: database) }
            #expect(error?.kind == .decoding)
        }
    }

    @Test("when the batch fails, the carrier throws and the reads run on their own when asked", arguments: Backend.allCases)
    func failedBatchLeavesReads(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let readAhead = ReadAhead()
            let read = readAhead.add(Statement.first("SELECT \(4) + 0 AS v", as: Int.self))
            await #expect(throws: DatabaseError.self) {
                try await readAhead.query(Statement.first("SELECT v FROM no_such_table", as: Int.self), on: database)
            }
            let timings = QueryTimings()
            let value = try await QueryTimings.$current.withValue(timings) { try await read.value(on: database) }
            #expect(value == 4)
            #expect(timings.statements == 1 && timings.roundTrips == 1, "sent again, on its own")
        }
    }
}
