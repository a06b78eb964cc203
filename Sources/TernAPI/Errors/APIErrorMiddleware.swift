import HTTPTypes
import Hummingbird
import Logging
import TernDatabase

/// Turns every error into a response with FastAPI's body, so clients always get JSON:
///
/// - ``APIError`` → its status and `{"detail": ...}`;
/// - ``RequestValidationError`` → 422 `{"detail": [...]}`;
/// - an application-registered error type → its mapping (``ErrorHandlers``);
/// - an unavailable database (pool exhausted, connection lost or refused, shutting down) → 503;
/// - a value the database cannot store, or that breaks a `CHECK` constraint → 422, as a validation
///   error;
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
        if let error = error as? DatabaseError, error.kind == .invalidValue || error.kind == .checkViolation {
            return Response.json(Self.unstorableValue.json, status: .unprocessableContent)
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
        case let error as APIError:
            return error
        case is RequestValidationError:
            return nil
        case is UnreadableBody:
            return APIError(.badRequest, "There was an error parsing the body")
        default:
            break
        }
        if let mapped = handlers.handle(error) { return mapped }
        switch error {
        case let error as DatabaseError:
            return databaseError(error)
        case let error as HTTPError:
            return APIError(error.status, error.body, headers: error.headers)
        case let error as any HTTPResponseError:
            return APIError(error.status)
        default:
            return nil
        }
    }

    private static func databaseError(_ error: DatabaseError) -> APIError? {
        switch error.kind {
        case .poolExhausted, .connectionFailed, .connectionLost, .closed, .serializationFailure:
            APIError(.serviceUnavailable, "Service Unavailable", headers: [.retryAfter: "1"])
        case .uniqueViolation, .foreignKeyViolation:
            APIError(.conflict, "Conflict")
        default:
            nil
        }
    }

    /// A value that passed validation but that the database cannot store (text with a NUL character,
    /// a number out of a `CHECK` constraint's range): a 422 in FastAPI's shape, since it is the
    /// request's fault. Declare the same rule on the schema to get a precise message instead.
    static var unstorableValue: RequestValidationError { RequestValidationError([
        ValidationIssue(
            type: "value_error", location: .body,
            message: "Value error, the request holds a value the database cannot store", input: .null)
    ]) }
}
