import HTTPTypes
import TernAPI
import TernDatabase

/// The bridge from the database building block's errors to HTTP: which `DatabaseError` a client is
/// told about, and how. Everything else the database reports is a 500, logged and never described.
///
/// ```swift
/// api.errorHandlers.registerDatabaseErrors()
/// ```
public enum DatabaseErrorAnswers {
    /// The database cannot serve now (pool exhausted, connection lost or refused, shutting down, a
    /// serialization failure): try again shortly.
    public static let unavailable = APIError.retryLater

    /// A unique or foreign-key constraint refused the write.
    public static let conflict = APIError(.conflict, "Conflict")

    /// What a client is answered for a database error: an `APIError`, a 422 for a value it cannot
    /// store, or `nil` (a 500).
    public static func answer(for error: DatabaseError) -> (any Error)? {
        switch error.kind {
        case .poolExhausted, .connectionFailed, .connectionLost, .closed, .serializationFailure: unavailable
        case .uniqueViolation, .foreignKeyViolation: conflict
        case .invalidValue, .checkViolation: unstorableValue
        default: nil
        }
    }

    /// A value that passed validation but that the database cannot store (text with a NUL character,
    /// a number out of a `CHECK` constraint's range): a 422 in FastAPI's shape, since it is the
    /// request's fault. Declare the same rule on the schema to get a precise message instead.
    static var unstorableValue: RequestValidationError {
        RequestValidationError([
            ValidationIssue(
                type: "value_error", location: .body,
                message: "Value error, the request holds a value the database cannot store", input: .null)
        ])
    }
}

extension ErrorHandlers {
    /// Answers database errors as ``DatabaseErrorAnswers`` says: 503 with `Retry-After` while the
    /// database is unavailable, 409 for a conflict, 422 for a value it cannot store.
    public mutating func registerDatabaseErrors() {
        register(DatabaseError.self, translate: DatabaseErrorAnswers.answer(for:))
    }
}
