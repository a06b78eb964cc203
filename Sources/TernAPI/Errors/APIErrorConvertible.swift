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
