import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Logs one line per request once its response is ready: method, path, the route it matched,
/// status, time taken, and the client's address, as metadata (a JSON log handler makes them fields).
/// The query is left out: it may hold secrets (a sign-in's code, a token).
///
/// Add it after ``RequestIDMiddleware`` (so its lines carry the request id) and before the API's
/// error middleware (so it logs the status an error was answered with).
public struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    private let level: Logger.Level

    /// - Parameter level: the level of the lines (`info`; `debug` keeps them out of an info log).
    public init(level: Logger.Level = .info) {
        self.level = level
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Below the logger's level the line would be dropped after its metadata was built: skip
        // both, as most production loggers run at `warning`.
        guard context.logger.logLevel <= level else { return try await next(request, context) }
        return try await observingOutcome(of: request, context: context, next: next) { status, duration in
            log(request, context: context, status: status, duration: duration)
        }
    }

    private func log(_ request: Request, context: Context, status: HTTPResponse.Status, duration: Duration) {
        let milliseconds = Double(duration / .microseconds(1)) / 1000
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(status.code)",
            "duration_ms": "\(milliseconds)",
        ]
        if let route = context.endpointPath { metadata["route"] = "\(route)" }
        if let address = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress {
            metadata["client"] = "\(address)"
        }
        context.logger.log(level: level, "\(request.method.rawValue) \(request.uri.path) \(status.code)", metadata: metadata)
    }
}
