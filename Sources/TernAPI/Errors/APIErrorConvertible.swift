import Hummingbird

/// An error that says its own HTTP answer (status, `detail`, headers), written once beside the
/// error, as Hummingbird's `HTTPResponseError` does. The API answers with it, and the operations
/// that declare it (`@GET("/{id}", errors: [ItemError.notFound])`, a dependency's
/// ``Dependency/errors``) list it among their documented responses.
///
/// ```swift
/// enum ItemError: APIErrorConvertible {
///     case notFound
///
///     var apiError: APIError {
///         switch self {
///         case .notFound: APIError(.notFound, "Item not found")
///         }
///     }
/// }
/// ```
///
/// Declare `CaseIterable` too to document every case at once (`errors: ItemError.allCases`).
public protocol APIErrorConvertible: Error, Sendable {
    /// The answer: status, `detail` and headers.
    var apiError: APIError { get }
}

extension APIError: APIErrorConvertible {
    public var apiError: APIError { self }
}

extension APIError {
    /// The answer to `error` when it has one: an ``APIErrorConvertible`` error's, a
    /// ``RequestValidationError``'s 422 with its `detail` list, a Hummingbird HTTP error's. `nil` for
    /// any other error: a 500 whose cause the client is never told.
    public init?(answering error: any Error) {
        switch error {
        case let error as any APIErrorConvertible:
            self = error.apiError
        case let error as RequestValidationError:
            self.init(.unprocessableContent, detail: error.json["detail"] ?? .null)
        case let error as HTTPError:
            self.init(error.status, error.body, headers: error.headers)
        case let error as any HTTPResponseError:
            self.init(error.status)
        default:
            return nil
        }
    }
}
