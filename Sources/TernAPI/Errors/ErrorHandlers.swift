/// How errors become responses, in one place: the handlers an application registers for its own
/// error types (a domain error to a 409, say), consulted before the defaults.
///
/// ```swift
/// api.errorHandlers.register(UserError.self) { error in
///     switch error {
///     case .emailTaken: APIError(.badRequest, "The user with this email already exists in the system.")
///     }
/// }
/// ```
public struct ErrorHandlers: Sendable {
    private var handlers: [ObjectIdentifier: @Sendable (any Error) -> APIError?] = [:]

    public init() {}

    /// Maps errors of type `E` to an HTTP error.
    public mutating func register<E: Error>(_ type: E.Type, _ handle: @escaping @Sendable (E) -> APIError) {
        handlers[ObjectIdentifier(type)] = { error in (error as? E).map(handle) }
    }

    /// The registered mapping of an error, if its type has one.
    func handle(_ error: any Error) -> APIError? {
        handlers[ObjectIdentifier(type(of: error))]?(error)
    }
}
