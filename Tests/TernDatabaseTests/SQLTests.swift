import Foundation
import TernPrimitives
import Testing

@testable import TernDatabase

@Suite("SQL building", .timeLimit(.minutes(5)))
struct SQLTests {
    @Test("interpolated values become placeholders, never text")
    func valuesAreBound() {
        let title = "x'); DROP TABLE item; --"
        let sql: SQL = "SELECT * FROM item WHERE title = \(title) AND owner = \(42)"
        #expect(sql.text(for: .postgres) == "SELECT * FROM item WHERE title = $1 AND owner = $2")
        #expect(sql.text(for: .sqlite) == "SELECT * FROM item WHERE title = ?1 AND owner = ?2")
        #expect(sql.bindings == [.text(title), .integer(42)])
    }

    @Test("optionals bind NULL, nested SQL keeps its bindings and numbering")
    func composition() {
        let missing: String? = nil
        let filter: SQL = "owner_id = \(7)"
        let sql: SQL = "UPDATE item SET description = \(missing) WHERE \(filter) AND id = \(9)"
        #expect(sql.text(for: .postgres) == "UPDATE item SET description = $1 WHERE owner_id = $2 AND id = $3")
        #expect(sql.bindings == [.null, .integer(7), .integer(9)])
    }

    @Test("lists expand to one placeholder per value")
    func lists() {
        let sql: SQL = "SELECT 1 WHERE id IN (\(list: [1, 2, 3]))"
        #expect(sql.text(for: .postgres) == "SELECT 1 WHERE id IN ($1, $2, $3)")
    }

    @Test("identifiers are quoted and escaped")
    func identifiers() {
        let sql: SQL = "SELECT * FROM \(identifier: #"we"ird"#)"
        #expect(sql.text(for: .sqlite) == #"SELECT * FROM "we""ird""#)
    }

    @Test("placeholders past nine, and past a hundred, are numbered in full")
    func manyPlaceholders() {
        let sql: SQL = "SELECT 1 WHERE id IN (\(list: Array(1...120)))"
        let numbers = (1...120).map(String.init)
        #expect(sql.text(for: .postgres) == "SELECT 1 WHERE id IN (" + numbers.map { "$" + $0 }.joined(separator: ", ") + ")")
        #expect(sql.text(for: .sqlite) == "SELECT 1 WHERE id IN (" + numbers.map { "?" + $0 }.joined(separator: ", ") + ")")
        #expect(sql.bindings.count == 120)
    }

    @Test("statements are equal by their text and values, however their text was made")
    func equality() {
        let literal: SQL = "SELECT \(1)"
        let runTime = SQL(unsafeSQL: "SELECT ") + "\(1)"
        #expect(literal == runTime)
        #expect(literal.hashValue == runTime.hashValue)
        #expect(literal != "SELECT \(2)")
        #expect(SQL(unsafeSQL: "SELECT 1") != "SELECT \(1)")
    }

    @Test("joined fragments renumber placeholders")
    func joined() {
        let parts: [SQL] = ["title = \("a")", "description = \("b")"]
        let sql: SQL = "UPDATE item SET " + SQL.joined(parts, separator: ", ") + " WHERE id = \(1)"
        #expect(sql.text(for: .postgres) == "UPDATE item SET title = $1, description = $2 WHERE id = $3")
        #expect(sql.description == sql.text(for: .postgres))
    }
}

@Suite("UUID text", .timeLimit(.minutes(5)))
struct UUIDTextTests {
    @Test("canonical UUIDs parse in any case and print in lowercase, like Foundation's")
    func roundTrip() throws {
        for _ in 0..<100 {
            let uuid = UUID()
            #expect(uuid.lowercasedString == uuid.uuidString.lowercased())
            #expect(UUID(canonical: uuid.uuidString) == uuid)
            #expect(UUID(canonical: uuid.lowercasedString) == uuid)
        }
        for bad in [
            "", "not-a-uuid", "12345678-1234-1234-1234-1234567890a", "12345678-1234-1234-1234-1234567890ag",
            "123456781234-1234-1234-1234567890abc",
        ] {
            #expect(UUID(canonical: bad) == nil)
        }
    }
}

@Suite("SQL takes run-time text only through its unsafe door", .timeLimit(.minutes(5)))
struct SQLLiteralOnlyTests {
    @Test("literals are StaticStrings, which only the compiler can make: run-time text does not type-check")
    func literalsAreStatic() {
        // `SQL(stringLiteral: someString)`, `appendLiteral(someString)` and `joined(separator: someString)`
        // do not compile: their text must be a literal.
        #expect(SQL.StringLiteralType.self == StaticString.self)
        #expect(SQL.Interpolation.StringLiteralType.self == StaticString.self)
        let joined: ([SQL], SQL) -> SQL = SQL.joined(_:separator:)
        #expect(joined(["a = \(1)", "b = \(2)"], ", ").text(for: .postgres) == "a = $1, b = $2")
    }

    @Test("SQL(unsafeSQL:) is the named way in for trusted run-time text; identifiers are quoted")
    func unsafeDoor() {
        let column = "title"
        let trusted = SQL(unsafeSQL: "SELECT \(column) FROM item") + " WHERE id = \(7)"
        #expect(trusted.text(for: .postgres) == "SELECT title FROM item WHERE id = $1")
        let quoted: SQL = "SELECT \(identifier: #"we"ird"#) FROM item"
        #expect(quoted.text(for: .sqlite) == #"SELECT "we""ird" FROM item"#)
    }
}
