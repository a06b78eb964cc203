import HTTPTypes
import Hummingbird
import Synchronization

/// Headers an operation adds to its successful response while returning a typed value: a cookie to
/// set or clear, say. FastAPI's `response: Response` parameter.
///
/// ```swift
/// @Input struct LoginInput {
///     @Depends var form: OAuth2PasswordRequestForm
///     @Depends var response: ResponseHeaders
/// }
/// ...
/// input.response.setCookie(Cookie(name: "refresh_token", value: token, httpOnly: true))
/// return Token(...)
/// ```
///
/// The headers go out only with the operation's own answer: an error answers without them.
public final class ResponseHeaders: Dependency, Sendable {
    private let fields = Mutex(HTTPFields())

    init() {}

    public static func resolve(_: NoInput, in scope: RequestScope) async throws -> ResponseHeaders {
        let headers = ResponseHeaders()
        scope.onSuccessfulResponse { $0.append(contentsOf: headers.fields.withLock { $0 }) }
        return headers
    }

    /// Adds `value` under `name`, after any value the response already has there.
    public func append(_ name: HTTPField.Name, _ value: String) {
        fields.withLock { $0.append(HTTPField(name: name, value: value)) }
    }

    /// Adds a `Set-Cookie` header for `cookie`.
    public func setCookie(_ cookie: Cookie) {
        append(.setCookie, cookie.description)
    }
}
