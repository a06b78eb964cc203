import HTTPTypes
import Hummingbird
import Logging
import TernDatabase

/// Turns every error into a response with FastAPI's body, so clients always get JSON:
///
/// - ``APIError``, and every ``APIErrorConvertible`` error → its status and `{"detail": ...}`;
/// - ``RequestValidationError`` → 422 `{"detail": [...]}`;
/// - an application-registered error type → its mapping (``ErrorHandlers``);
/// - a database error → its answer in ``DatabaseErrorAnswers`` (503 when the database is unavailable,
///   409 for a conflict, 422 for a value it cannot store);
/// - Hummingbird's errors (unknown route, body too large) → their status, `{"detail": "<reason>"}`;
/// - anything else → 500 `{"detail": "Internal Server Error"}`, logged with the request id and
///   never described to the client.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let handlers: ErrorHandlers

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return response(for: error, context: context)
        }
    }

    func response(for error: any Error, context: Context) -> Response {
        if let error = error as? DatabaseError, let validation = DatabaseErrorAnswers.validationError(for: error) {
            return Response.json(validation.json, status: .unprocessableContent)
        }
        let apiError = Self.apiError(for: error, handlers: handlers)
        if let apiError {
            // Unavailability comes in floods (a database restart fails every request for a while);
            // the parts that cause it log each incident once.
            if apiError.status == .serviceUnavailable {
                context.logger.debug("service unavailable", metadata: ["error": "\(error)"])
            }
            return apiError.response
        }
        if let validation = error as? RequestValidationError {
            return Response.json(validation.json, status: .unprocessableContent)
        }
        context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
        return Response.json(["detail": "Internal Server Error"], status: .internalServerError)
    }

    static func apiError(for error: any Error, handlers: ErrorHandlers) -> APIError? {
        switch error {
        case let error as any APIErrorConvertible:
            return error.apiError
        case is RequestValidationError:
            return nil
        default:
            break
        }
        if let mapped = handlers.handle(error) { return mapped }
        switch error {
        case let error as DatabaseError:
            return DatabaseErrorAnswers.apiError(for: error)
        case let error as HTTPError:
            return APIError(error.status, error.body, headers: error.headers)
        case let error as any HTTPResponseError:
            return APIError(error.status)
        default:
            return nil
        }
    }
}
