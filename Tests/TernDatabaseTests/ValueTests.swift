import Foundation
import TestSupport
import Testing

@testable import TernDatabase

/// A row with one column of every supported type, named in snake_case in SQL and camelCase here.
private struct Sample: Decodable, Equatable {
    let id: Int
    let bigNumber: Int64
    let ratio: Double
    let isActive: Bool
    let title: String
    let externalId: UUID
    let createdAt: Date
    let payload: Data
    let note: String?
    let score: Int?
}

private func createSampleTable(_ database: Database) async throws {
    let types: SQL =
        database.dialect == .postgres
        ? "id INTEGER PRIMARY KEY, big_number BIGINT, ratio DOUBLE PRECISION, is_active BOOLEAN, title TEXT, external_id UUID, created_at TIMESTAMPTZ, payload BYTEA, note TEXT, score INTEGER"
        : "id INTEGER PRIMARY KEY, big_number INTEGER, ratio REAL, is_active INTEGER, title TEXT, external_id TEXT, created_at TEXT, payload BLOB, note TEXT, score INTEGER"
    try await database.execute("CREATE TABLE sample (\(types))")
}

@Suite("Values and rows", .timeLimit(.minutes(5)))
struct ValueTests {
    @Test("every supported type round-trips, NULL included", arguments: Backend.allCases)
    func roundTrip(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await createSampleTable(database)
            let sample = Sample(
                id: 1, bigNumber: Int64.max - 1, ratio: 0.1 + 0.2, isActive: true,
                title: "Ünïcødé 'quoted' \"double\" \\ back; DROP TABLE sample; --",
                externalId: UUID(), createdAt: Date(timeIntervalSince1970: 1_795_442_932.123456),
                payload: Data([0, 1, 2, 255, 0x5c, 0x78]), note: nil, score: nil)
            let inserted = try await database.execute(
                """
                INSERT INTO sample (id, big_number, ratio, is_active, title, external_id, created_at, payload, note, score)
                VALUES (\(sample.id), \(sample.bigNumber), \(sample.ratio), \(sample.isActive), \(sample.title),
                        \(sample.externalId), \(sample.createdAt), \(sample.payload), \(sample.note), \(sample.score))
                """)
            #expect(inserted == 1)
            let read = try #require(try await database.queryFirst("SELECT * FROM sample WHERE id = \(1)", as: Sample.self))
            #expect(read.bigNumber == sample.bigNumber)
            #expect(read.ratio == sample.ratio)
            #expect(read.isActive == true)
            #expect(read.title == sample.title)
            #expect(read.externalId == sample.externalId)
            #expect(abs(read.createdAt.timeIntervalSince(sample.createdAt)) < 0.000_001)
            #expect(read.payload == sample.payload)
            #expect(read.note == nil && read.score == nil)
            // The injection attempt was stored as text; the table is still there.
            #expect(try await database.query("SELECT id FROM sample", as: Int.self) == [1])
        }
    }

    @Test("bytes bound before and after texts and NULLs keep every value in its place", arguments: Backend.allCases)
    func bytesAmongTexts(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await createSampleTable(database)
            let bytes = Data([0, 0x5c, 0, 7])
            let note: String? = nil
            // Bytes first (an empty value: no length to point at), then a text, a NULL and bytes again.
            try await database.execute(
                "INSERT INTO sample (payload, title, note, id) VALUES (\(Data()), \("first"), \(note), \(1))")
            try await database.execute(
                "INSERT INTO sample (id, title, note, payload) VALUES (\(2), \("second"), \(note), \(bytes))")
            let rows = try await database.query(
                "SELECT id, title, payload FROM sample WHERE payload IN (\(Data()), \(bytes)) ORDER BY id",
                as: Stored.self)
            #expect(rows == [Stored(id: 1, title: "first", payload: Data()), Stored(id: 2, title: "second", payload: bytes)])
        }
    }

    private struct Stored: Decodable, Equatable {
        let id: Int
        let title: String
        let payload: Data
    }

    @Test("RETURNING gives back the written row", arguments: Backend.allCases)
    func returning(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await createSampleTable(database)
            struct Returned: Decodable {
                let id: Int
                let title: String
            }
            let returned = try await database.query(
                "INSERT INTO sample (id, title) VALUES (\(5), \("five")) RETURNING id, title", as: Returned.self)
            #expect(returned.map(\.id) == [5])
            #expect(returned.map(\.title) == ["five"])
            let updated = try await database.query(
                "UPDATE sample SET title = \("FIVE") WHERE id = \(5) RETURNING title", as: String.self)
            #expect(updated == ["FIVE"])
        }
    }

    @Test("scalars decode from single-column results, aggregates included", arguments: Backend.allCases)
    func scalars(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await createSampleTable(database)
            for id in 1...3 { try await database.execute("INSERT INTO sample (id) VALUES (\(id))") }
            #expect(try await database.queryFirst("SELECT count(*) FROM sample", as: Int.self) == 3)
            #expect(try await database.query("SELECT id FROM sample WHERE id IN (\(list: [1, 3])) ORDER BY id", as: Int.self) == [1, 3])
            #expect(try await database.queryFirst("SELECT id FROM sample WHERE id = \(99)", as: Int.self) == nil)
        }
    }

    @Test("rows read by column name", arguments: Backend.allCases)
    func rowsByName(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let result = try await database.query("SELECT 1 AS one, 'two' AS two, NULL AS absent")
            #expect(result.columns == ["one", "two", "absent"])
            let row = try #require(result.rows.first)
            #expect(row["one"] == .integer(1))
            #expect(row["two"] == .text("two"))
            #expect(row["absent"] == .null)
            #expect(row["missing"] == nil)
        }
    }

    @Test(
        "an optional field is nil for NULL and for a column not selected; a value of the wrong type is still an error",
        arguments: Backend.allCases)
    func optionalFields(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            struct Optionals: Decodable, Equatable {
                let note: String?
                let score: Int?
                let externalId: UUID?
                let label: Label?
            }
            enum Label: String, Decodable { case first, second }
            let rows = try await database.query(
                """
                SELECT \("a note") AS note, \(7) AS score, NULL AS external_id, \("second") AS label
                UNION ALL SELECT NULL, NULL, NULL, NULL
                """, as: Optionals.self)
            #expect(
                rows == [
                    Optionals(note: "a note", score: 7, externalId: nil, label: .second),
                    Optionals(note: nil, score: nil, externalId: nil, label: nil),
                ])
            let notSelected = try await database.queryFirst("SELECT 1 AS unrelated", as: Optionals.self)
            #expect(notSelected == Optionals(note: nil, score: nil, externalId: nil, label: nil))
            let mismatch = await #expect(throws: DatabaseError.self) {
                try await database.query("SELECT \("not a number") AS score", as: Optionals.self)
            }
            #expect(mismatch?.kind == .decoding)
        }
    }

    @Test("a result that does not fit the type is a decoding error naming the column", arguments: Backend.allCases)
    func decodingErrors(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            struct Wanted: Decodable {
                let count: Int
                let missing: String
            }
            let error = await #expect(throws: DatabaseError.self) {
                try await database.query("SELECT 1 AS count", as: Wanted.self)
            }
            #expect(error?.kind == .decoding)
            #expect(error?.message.contains("missing") == true)
            let mismatch = await #expect(throws: DatabaseError.self) {
                try await database.query("SELECT \("secret-value") AS count", as: Int.self)
            }
            #expect(mismatch?.kind == .decoding)
            #expect(mismatch?.message.contains("secret-value") == false)
            let first = await #expect(throws: DatabaseError.self) {
                try await database.queryFirst("SELECT 1 AS count", as: Wanted.self)
            }
            #expect(first?.kind == .decoding)
        }
    }

    @Test("queryFirst decodes the first row and no other, or answers nil for none", arguments: Backend.allCases)
    func firstRowOnly(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.execute("CREATE TABLE counter (position INTEGER NOT NULL, value INTEGER)")
            try await database.execute("INSERT INTO counter (position, value) VALUES (\(1), \(7)), (\(2), \(nil as Int?))")
            // The second row's NULL would not decode as Int: only the first is read.
            #expect(try await database.queryFirst("SELECT value FROM counter ORDER BY position", as: Int.self) == 7)
            let (first, none) = try await database.query(
                together: Statement.first("SELECT value FROM counter ORDER BY position", as: Int.self),
                Statement.first("SELECT value FROM counter WHERE position > \(2)", as: Int.self))
            #expect(first == 7)
            #expect(none == nil)
        }
    }

    @Test("a statement answers with the rows it changed: none, one, or a count of two digits", arguments: Backend.allCases)
    func rowsChanged(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
            for value in 1...12 { #expect(try await database.execute("INSERT INTO counter (value) VALUES (\(value))") == 1) }
            #expect(try await database.execute("UPDATE counter SET value = value + \(100)") == 12)
            #expect(try await database.execute("DELETE FROM counter WHERE value < \(100)") == 0)
            #expect(try await database.execute("DELETE FROM counter WHERE value > \(110)") == 2)
            #expect(try await database.execute("CREATE INDEX counter_value ON counter (value)") == 0)
        }
    }

    @Test("coding keys find their snake_case columns, acronyms included")
    func snakeCaseKeys() {
        #expect(ColumnLookup.snakeCased("ownerId") == "owner_id")
        #expect(ColumnLookup.snakeCased("isHTTPOnly") == "is_http_only")
        #expect(ColumnLookup.snakeCased("userID") == "user_id")
        #expect(ColumnLookup.snakeCased("sha256Sum") == "sha256_sum")
        #expect(ColumnLookup.snakeCased("title") == "title")
        let lookup = ColumnLookup(
            result: QueryResult(columns: ["id", "owner_id", "is_http_only", "sha256_sum", "naïve_key"], values: [], rowsAffected: 0),
            decodingEveryRow: false)
        #expect(lookup.position(of: "ownerId") == 1)
        #expect(lookup.position(of: "isHTTPOnly") == 2)
        #expect(lookup.position(of: "sha256Sum") == 3)
        #expect(lookup.position(of: "naïveKey") == 4, "a key that is not ASCII is converted as Unicode says")
        #expect(lookup.position(of: "missing") == nil)
        #expect(lookup.position(of: "ownerIdx") == nil, "owner_idx is no column")
        #expect(lookup.position(of: "ownerID") == 1, "userID is user_id")
        #expect(lookup.position(of: "owner_id") == 1)
        #expect(lookup.position(of: "id") == 0)
    }

    @Test("rows that ask for their keys in another order than the first row still find their columns")
    func keysInChangingOrder() throws {
        /// Asks for `ownerId` first on rows whose kind is "owner-first", last on the others.
        struct Shifting: Decodable, Equatable {
            enum CodingKeys: String, CodingKey { case kind, title, ownerId }
            let kind: String
            let title: String
            let ownerId: Int

            init(kind: String, title: String, ownerId: Int) {
                (self.kind, self.title, self.ownerId) = (kind, title, ownerId)
            }

            init(from decoder: any Decoder) throws {
                let row = try decoder.container(keyedBy: CodingKeys.self)
                kind = try row.decode(String.self, forKey: .kind)
                if kind == "owner-first" {
                    ownerId = try row.decode(Int.self, forKey: .ownerId)
                    title = try row.decode(String.self, forKey: .title)
                } else {
                    title = try row.decode(String.self, forKey: .title)
                    ownerId = try row.decode(Int.self, forKey: .ownerId)
                }
            }
        }
        let expected = [
            Shifting(kind: "title-first", title: "a", ownerId: 1), Shifting(kind: "owner-first", title: "b", ownerId: 2),
            Shifting(kind: "title-first", title: "c", ownerId: 3), Shifting(kind: "owner-first", title: "d", ownerId: 4),
        ]
        let result = QueryResult(
            columns: ["owner_id", "title", "kind"],
            values: expected.flatMap { [.integer(Int64($0.ownerId)), .text($0.title), .text($0.kind)] }, rowsAffected: 0)
        #expect(try result.decode(Shifting.self) == expected)
    }

    @Test("text kept as the database's bytes reads as each type, and as a String when asked")
    func textReadInPlace() throws {
        struct Labelled: Decodable, Equatable {
            enum Kind: String, Decodable { case book }
            let id: UUID
            let createdAt: Date
            let title: String
            let count: Int
            let kind: Kind
            let note: String?
        }
        let id = UUID()
        var values = ResultValues()
        for text in [id.uuidString.lowercased(), "2023-11-14 22:13:20.5+00", "Ünïcode, and longer than a small string", "42", "book"] {
            var text = text
            text.withUTF8 { values.appendText(UnsafeRawBufferPointer($0)) }
        }
        values.append(.null)
        #expect(values.convert(at: 0, to: UUID.self) == id)
        #expect(values.convert(at: 1, to: Date.self) == Date(timeIntervalSince1970: 1_700_000_000.5))
        #expect(values.convert(at: 2, to: String.self) == "Ünïcode, and longer than a small string")
        #expect(values.convert(at: 3, to: Int.self) == 42)
        #expect(values.convert(at: 4, to: UUID.self) == nil)
        #expect(values.convert(at: 2, to: Date.self) == nil)
        #expect(values[0] == .text(id.uuidString.lowercased()))
        #expect(values[5] == .null)
        #expect(values.isNull(at: 5) && !values.isNull(at: 3))

        let result = QueryResult(columns: ["id", "created_at", "title", "count", "kind", "note"], values: values, rowsAffected: 0)
        let expected = Labelled(
            id: id, createdAt: Date(timeIntervalSince1970: 1_700_000_000.5), title: "Ünïcode, and longer than a small string",
            count: 42, kind: .book, note: nil)
        #expect(try result.decode(Labelled.self) == [expected])
        #expect(result.rows[0]["title"] == .text("Ünïcode, and longer than a small string"))
    }

    @Test("an app's own value type reads text through init(databaseText:), or its default")
    func appTypesReadText() throws {
        /// Only reads its bytes: `init?(databaseValue:)` refuses, so a value comes only through
        /// `init?(databaseText:)`.
        struct ByteCount: DatabaseValueConvertible, Decodable, Equatable {
            let count: Int
            var databaseValue: DatabaseValue { .integer(Int64(count)) }
            init(count: Int) { self.count = count }
            init?(databaseValue: DatabaseValue) { nil }
            init?(databaseText utf8: UnsafeBufferPointer<UInt8>) { count = utf8.count }
            init(from decoder: any Decoder) throws { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unused")) }
        }
        /// Implements only `init?(databaseValue:)`: text reaches it through the default.
        struct Slug: DatabaseValueConvertible, Decodable, Equatable {
            let text: String
            var databaseValue: DatabaseValue { .text(text) }
            init(text: String) { self.text = text }
            init?(databaseValue: DatabaseValue) {
                guard case .text(let text) = databaseValue, !text.contains(" ") else { return nil }
                self.text = text
            }
            init(from decoder: any Decoder) throws { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unused")) }
        }
        struct Named: Decodable, Equatable {
            let title: ByteCount
            let slug: Slug
        }
        func texts(_ strings: [String]) -> ResultValues {
            var values = ResultValues()
            for var text in strings { text.withUTF8 { values.appendText(UnsafeRawBufferPointer($0)) } }
            return values
        }
        let values = texts(["Ünïcode", "a-slug", "not a slug"])
        #expect(values.convert(at: 0, to: ByteCount.self) == ByteCount(count: 9))
        #expect(values.convert(at: 1, to: Slug.self) == Slug(text: "a-slug"))
        #expect(values.convert(at: 2, to: Slug.self) == nil)

        let named = QueryResult(columns: ["title", "slug"], values: texts(["Ünïcode", "a-slug"]), rowsAffected: 0)
        #expect(try named.decode(Named.self) == [Named(title: ByteCount(count: 9), slug: Slug(text: "a-slug"))])
        let refused = QueryResult(columns: ["title", "slug"], values: texts(["Ünïcode", "not a slug"]), rowsAffected: 0)
        #expect(throws: DecodingError.self) { try refused.decode(Named.self) }
    }

    @Test("matching a column byte by byte agrees with converting the key")
    func snakeCaseMatchesConversion() {
        let keys = ["ownerId", "isHTTPOnly", "userID", "sha256Sum", "title", "URL", "aB", "HTTPStatus", "x9Y", "ownerId2", "A", ""]
        let columns = keys.map(ColumnLookup.snakeCased) + ["owner", "owner_idx", "is_httponly", "ownerid", "_a_b", "a_b_"]
        for key in keys {
            for column in columns {
                var key = key
                var column = column
                let matched = key.withUTF8 { key in column.withUTF8 { ColumnLookup.isSnakeCase(of: key, $0) } }
                #expect(matched == (column == ColumnLookup.snakeCased(key)), "\(key) against \(column)")
            }
        }
    }

    @Test("a column of ids or dates decodes as the column's values", arguments: Backend.allCases)
    func scalarColumns(backend: Backend) async throws {
        try await withTestDatabase(backend, maxConnections: 1) { database in
            let id = UUID()
            let ids = try await database.query("SELECT \(id) AS id", as: UUID.self)
            #expect(ids == [id])
            let optional = try await database.query("SELECT NULL AS id UNION ALL SELECT \(id)", as: UUID?.self)
            #expect(optional == [nil, id])
            let date = Date(timeIntervalSince1970: 1_700_000_000.25)
            #expect(try await database.query("SELECT \(date) AS at", as: Date.self) == [date])
            await #expect(throws: DatabaseError.self) { try await database.query("SELECT 'not an id' AS id", as: UUID.self) }
        }
    }

    @Test("a cached SELECT * reads the columns the table has now, after they changed", arguments: Backend.allCases)
    func cachedStatementAfterSchemaChange(backend: Backend) async throws {
        try await withTestDatabase(backend, maxConnections: 1) { database in
            struct Row: Decodable {
                let id: Int
                let name: String?
                let label: String
            }
            try await database.execute("CREATE TABLE thing (id INTEGER, label TEXT NOT NULL)")
            try await database.execute("INSERT INTO thing (id, label) VALUES (1, 'one')")
            #expect(try await database.query("SELECT * FROM thing", as: Row.self).map(\.label) == ["one"])
            // Rebuilt with the columns in another order.
            try await database.execute("DROP TABLE thing")
            try await database.execute("CREATE TABLE thing (id INTEGER, name TEXT, label TEXT NOT NULL)")
            try await database.execute("INSERT INTO thing (id, name, label) VALUES (2, 'two', 'deux')")
            let rows = try await database.query("SELECT * FROM thing", as: Row.self)
            #expect(rows.map(\.label) == ["deux"])
            #expect(rows.map(\.name) == ["two"])
        }
    }
}
