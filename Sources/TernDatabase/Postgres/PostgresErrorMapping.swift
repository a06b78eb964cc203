import CLibPQ
import Foundation

/// Classifies libpq errors by SQLSTATE into ``DatabaseError`` kinds.
enum PostgresErrorMapping {
    /// `PG_DIAG_*` field codes (character macros in `postgres_ext.h`, which Swift does not import).
    private static let sqlStateField = Int32(UInt8(ascii: "C"))
    private static let primaryMessageField = Int32(UInt8(ascii: "M"))
    private static let constraintNameField = Int32(UInt8(ascii: "n"))

    static func error(connection: OpaquePointer, result: OpaquePointer?) -> DatabaseError {
        let sqlState = result.flatMap { field($0, sqlStateField) }
        let constraint = result.flatMap { field($0, constraintNameField) }
        let message =
            result.flatMap { field($0, primaryMessageField) }
            ?? lastMessage(connection)
        let kind: DatabaseError.Kind
        if PQstatus(connection) != CONNECTION_OK {
            kind = .connectionLost
        } else if let sqlState {
            kind = self.kind(sqlState: sqlState)
        } else {
            kind = .other
        }
        // Messages about values quote them (`invalid input syntax for type uuid: "..."`); errors must
        // be safe to log, so those messages are replaced.
        let safeMessage = kind == .invalidValue ? "a value does not fit its column's type or size" : message
        return DatabaseError(kind, safeMessage, code: sqlState, constraint: constraint)
    }

    /// libpq's last error on the connection, on one line (it spreads hints over several).
    static func lastMessage(_ connection: OpaquePointer) -> String {
        String(cString: PQerrorMessage(connection)).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// "cached plan must not change result type": a table changed (`ALTER TABLE`) under a statement
    /// prepared before; preparing it again fixes it.
    static func isInvalidatedPlan(_ error: DatabaseError) -> Bool {
        error.code == "0A000" && error.message.contains("cached plan")
    }

    static func kind(sqlState: String) -> DatabaseError.Kind {
        switch sqlState {
        case "23505": .uniqueViolation
        case "23503": .foreignKeyViolation
        case "23502": .notNullViolation
        case "23514": .checkViolation
        case "40001", "40P01": .serializationFailure
        case "25006": .readOnlyTransaction
        case "57P01", "57P02", "57P03": .connectionLost
        case _ where sqlState.hasPrefix("08"): .connectionLost
        case "22001", "22003", "22007", "22008", "22021", "22P02", "22P05": .invalidValue
        default: .other
        }
    }

    private static func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        guard let value = PQresultErrorField(result, code) else { return nil }
        return String(cString: value)
    }
}
