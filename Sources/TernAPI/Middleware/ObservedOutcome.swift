import HTTPTypes
import Hummingbird

/// Runs the rest of the chain and tells `observe` what the request came to: the status it is
/// answered with (an error's own status, or 500 for an error that has none, as the error middleware
/// will answer) and the time until the response's head. The response or the error is passed on as is.
///
/// The one shape of the middleware that watch requests without changing them (access log, metrics).
func observingOutcome<Context: RequestContext>(
    of request: Request, context: Context, next: (Request, Context) async throws -> Response,
    _ observe: (HTTPResponse.Status, Duration) -> Void
) async throws -> Response {
    let start = ContinuousClock.now
    do {
        let response = try await next(request, context)
        observe(response.status, ContinuousClock.now - start)
        return response
    } catch {
        observe((error as? any HTTPResponseError)?.status ?? .internalServerError, ContinuousClock.now - start)
        throw error
    }
}
