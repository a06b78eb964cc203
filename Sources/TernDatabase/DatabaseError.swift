/// An error from the database layer, classified so that services can react to it without parsing
/// messages: a unique violation becomes a 409, pool exhaustion a 503, and so on.
///
/// ```swift
/// do {
///     try await users.insert(user, on: session)
/// } catch let error as DatabaseError where error.kind == .uniqueViolation {
///     throw UserError.emailTaken
/// }
/// ```
///
/// The message is the server's primary message only; the detail text, which can quote row values, is
/// left out so that errors are safe to log.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as far as callers need to tell cases apart.
    public enum Kind: Sendable, Hashable {
        /// A `UNIQUE` or primary-key constraint rejected a row.
        case uniqueViolation
        /// A `FOREIGN KEY` constraint rejected a row.
        case foreignKeyViolation
        /// A `NOT NULL` constraint rejected a row.
        case notNullViolation
        /// A `CHECK` constraint rejected a row.
        case checkViolation
        /// A value the database cannot store in its column: text too long for `varchar(n)`, a number out
        /// of range, a malformed literal, a NUL character in text.
        case invalidValue
        /// The transaction conflicted with a concurrent one (serialization failure or deadlock);
        /// running it again may succeed.
        case serializationFailure
        /// A write was attempted in a read-only transaction.
        case readOnlyTransaction
        /// The connection broke during the operation; whether a write took effect is unknown.
        case connectionLost
        /// No connection could be opened (server down, wrong credentials, missing file).
        case connectionFailed
        /// Every connection stayed busy for the whole acquire timeout.
        case poolExhausted
        /// The database was closed (the service is shutting down).
        case closed
        /// A result did not decode into the requested type.
        case decoding
        /// Anything else: a syntax error, a missing table, a type mismatch in SQL.
        case other
    }

    /// The classification.
    public let kind: Kind
    /// A human-readable explanation, without row values.
    public let message: String
    /// The SQLSTATE code on PostgreSQL (`23505`), the extended result code name on SQLite.
    public let code: String?
    /// The violated constraint, when the server names it.
    public let constraint: String?

    /// Creates an error; drivers and the pool do this, applications rarely need to.
    public init(_ kind: Kind, _ message: String, code: String? = nil, constraint: String? = nil) {
        self.kind = kind
        self.message = message
        self.code = code
        self.constraint = constraint
    }

    /// Whether a fresh attempt at the same work may succeed (serialization failures, lost connections,
    /// an exhausted pool).
    public var isTransient: Bool {
        switch kind {
        case .serializationFailure, .connectionLost, .connectionFailed, .poolExhausted: true
        default: false
        }
    }

    public var description: String {
        var text = "database error (\(kind)): \(message)"
        if let code { text += " [\(code)]" }
        if let constraint { text += " constraint=\(constraint)" }
        return text
    }
}
