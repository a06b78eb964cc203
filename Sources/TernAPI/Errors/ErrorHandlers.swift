/// How errors of types the API does not know become answers, in one place: an application's (or a
/// bridge's) handlers for errors it cannot make ``APIErrorConvertible`` itself, consulted first.
///
/// ```swift
/// api.errorHandlers.register(PaymentProviderError.self) { error in
///     APIError(.badGateway, "The payment provider did not answer")
/// }
/// ```
///
/// A handler may also answer with a ``RequestValidationError`` (a 422), or `nil` to leave an error
/// unhandled: a 500, logged and never described to the client.
public struct ErrorHandlers: Sendable {
    private var handlers: [ObjectIdentifier: @Sendable (any Error) -> (any Error)?] = [:]

    public init() {}

    /// Answers errors of type `E` as `handle` says.
    public mutating func register<E: Error>(_ type: E.Type, _ handle: @escaping @Sendable (E) -> APIError) {
        register(type, translate: { handle($0) })
    }

    /// Answers errors of type `E` with the error `translate` gives (an ``APIErrorConvertible``, a
    /// ``RequestValidationError``), or leaves them unhandled when it gives `nil`.
    public mutating func register<E: Error>(_ type: E.Type, translate: @escaping @Sendable (E) -> (any Error)?) {
        handlers[ObjectIdentifier(type)] = { error in (error as? E).flatMap(translate) }
    }

    /// The error to answer with in place of `error`, if a handler for its type has one.
    func translate(_ error: any Error) -> (any Error)? {
        handlers[ObjectIdentifier(type(of: error))]?(error)
    }

    /// The answer to `error`: its handler's, else its own (``APIError/init(answering:)``); `nil`
    /// for an unexpected error, a 500. Everything that turns errors into answers asks here (the
    /// API's error middleware, GraphQL), so a registered handler holds for all of them.
    public func answer(for error: any Error) -> APIError? {
        APIError(answering: translate(error) ?? error)
    }
}
