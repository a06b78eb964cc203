import Foundation

/// Where the errors no handler answers go besides the log: an error tracker (Sentry), an alert. The
/// client gets `500 Internal Server Error` and nothing more; the reporter gets the error and the
/// request it broke.
///
/// ``report(_:)`` runs on the failing request's task, before its answer is sent: hand the report on
/// (to a queue a service drains) and return, never wait on the network there.
public protocol ErrorReporter: Sendable {
    func report(_ failure: UnhandledError)
}

/// An error that answered 500, with what a tracker shows beside it.
public struct UnhandledError: Sendable {
    public let error: any Error
    public let method: String
    /// The path, without the query string (it may hold a secret).
    public let path: String
    /// The route's template (`/api/v1/items/{id}`), when the request reached one.
    public let route: String?
    /// The id in the request's log lines and its `X-Request-ID`.
    public let requestID: String?
    public let date: Date

    public init(error: any Error, method: String, path: String, route: String?, requestID: String?, date: Date = Date()) {
        self.error = error
        self.method = method
        self.path = path
        self.route = route
        self.requestID = requestID
        self.date = date
    }
}
