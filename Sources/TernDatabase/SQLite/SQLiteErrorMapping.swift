/// Classifies sqlite3 extended result codes into ``DatabaseError`` kinds.
enum SQLiteErrorMapping {
    /// Extended result codes (`sqlite3.h` defines them as macro expressions Swift does not import).
    private enum Code {
        static let busy: Int32 = 5
        static let locked: Int32 = 6
        static let readOnly: Int32 = 8
        static let tooBig: Int32 = 18
        static let mismatch: Int32 = 20
        static let range: Int32 = 25
        static let constraintCheck: Int32 = 275
        static let constraintForeignKey: Int32 = 787
        static let constraintNotNull: Int32 = 1299
        static let constraintPrimaryKey: Int32 = 1555
        static let constraintUnique: Int32 = 2067
    }

    static func error(code: Int32, message: String) -> DatabaseError {
        DatabaseError(kind(code), message, code: "SQLITE_\(code)", constraint: constraint(in: message, code: code))
    }

    private static func kind(_ code: Int32) -> DatabaseError.Kind {
        switch code {
        case Code.constraintUnique, Code.constraintPrimaryKey: .uniqueViolation
        case Code.constraintForeignKey: .foreignKeyViolation
        case Code.constraintNotNull: .notNullViolation
        case Code.constraintCheck: .checkViolation
        case Code.tooBig, Code.mismatch, Code.range: .invalidValue
        case _ where code & 0xFF == Code.busy || code & 0xFF == Code.locked: .serializationFailure
        case _ where code & 0xFF == Code.readOnly: .readOnlyTransaction
        default: .other
        }
    }

    /// SQLite names the columns of a failed constraint in its message ("UNIQUE constraint failed:
    /// user.email"); that is the closest it has to a constraint name.
    private static func constraint(in message: String, code: Int32) -> String? {
        guard code & 0xFF == 19, let colon = message.firstIndex(of: ":") else { return nil }
        return String(message[message.index(after: colon)...].drop(while: { $0 == " " }))
    }
}
