import HTTPTypes
import Hummingbird
import Logging

/// Turns every error into a response with FastAPI's body, so clients always get JSON:
///
/// - an error of a type with a registered handler (``ErrorHandlers``) → what the handler answers;
/// - ``APIError``, and every ``APIErrorConvertible`` error → its status and `{"detail": ...}`;
/// - ``RequestValidationError`` → 422 `{"detail": [...]}`;
/// - Hummingbird's errors (unknown route, body too large) → their status, `{"detail": "<reason>"}`;
/// - anything else → 500 `{"detail": "Internal Server Error"}`, logged with the request id and
///   never described to the client, and handed to the ``ErrorReporter``, if any.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let handlers: ErrorHandlers
    let reporter: (any ErrorReporter)?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return response(for: error, to: request, context: context)
        }
    }

    func response(for thrown: any Error, to request: Request, context: Context) -> Response {
        if let withHeaders = thrown as? ErrorWithHeaders {
            var response = response(for: withHeaders.error, to: request, context: context)
            // The error's own win: a 429 of a service's limit says which limit refused.
            for field in withHeaders.headers where response.headers[field.name] == nil {
                response.headers.append(field)
            }
            return response
        }
        guard let apiError = handlers.answer(for: thrown) else {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: thrown))"])
            reporter?.report(
                UnhandledError(
                    error: thrown, method: request.method.rawValue, path: request.uri.path, route: context.endpointPath,
                    requestID: context.logger[metadataKey: "request_id"].map { "\($0)" }))
            return Response.json(["detail": "Internal Server Error"], status: .internalServerError)
        }
        // Unavailability comes in floods (a database restart fails every request for a while);
        // the parts that cause it log each incident once.
        if apiError.status == .serviceUnavailable {
            context.logger.debug("service unavailable", metadata: ["error": "\(thrown)"])
        }
        return apiError.response
    }
}
