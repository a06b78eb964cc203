import TernDatabase

/// The bridge from the database building block to HTTP: which ``DatabaseError`` a client is told
/// about, and how. Everything else the database reports is a 500, logged and never described.
public enum DatabaseErrorAnswers {
    /// The database cannot serve now (pool exhausted, connection lost or refused, shutting down, a
    /// serialization failure): try again shortly.
    public static let unavailable = APIError(.serviceUnavailable, "Service Unavailable", headers: [.retryAfter: "1"])

    /// A unique or foreign-key constraint refused the write.
    public static let conflict = APIError(.conflict, "Conflict")

    /// The HTTP answer of a database error, if a client should get one.
    public static func apiError(for error: DatabaseError) -> APIError? {
        switch error.kind {
        case .poolExhausted, .connectionFailed, .connectionLost, .closed, .serializationFailure: unavailable
        case .uniqueViolation, .foreignKeyViolation: conflict
        default: nil
        }
    }

    /// A value that passed validation but that the database cannot store (text with a NUL character,
    /// a number out of a `CHECK` constraint's range): a 422 in FastAPI's shape, since it is the
    /// request's fault. Declare the same rule on the schema to get a precise message instead.
    public static func validationError(for error: DatabaseError) -> RequestValidationError? {
        guard error.kind == .invalidValue || error.kind == .checkViolation else { return nil }
        return unstorableValue
    }

    static var unstorableValue: RequestValidationError {
        RequestValidationError([
            ValidationIssue(
                type: "value_error", location: .body,
                message: "Value error, the request holds a value the database cannot store", input: .null)
        ])
    }
}
