import Hummingbird

/// A stack of middleware, built as `addMiddleware`'s result builder builds it, behind one closure
/// made where the stack's type is known, so that a request runs the stack's specialized code:
///
/// ```swift
/// let stack = MiddlewareStack<APIRequestContext> {
///     RequestIDMiddleware()
///     if settings.accessLog { AccessLogMiddleware() }
/// }
/// router.add(middleware: stack)
/// ```
///
/// The router keeps its middleware as existentials: a stack added as it is (`router.addMiddleware`)
/// runs through Hummingbird's generic code for each layer, which looks up type metadata at every
/// request (about 2 % of a health check's CPU for the sample app's stacks).
public struct MiddlewareStack<Context: RequestContext>: RouterMiddleware {
    @usableFromInline
    let run: @Sendable (Request, Context, (Request, Context) async throws -> Response) async throws -> Response

    /// Inlined where it is called, so that the closure is compiled for the stack's concrete type.
    @inlinable
    public init(@MiddlewareFixedTypeBuilder<Request, Response, Context> _ build: () -> some RouterMiddleware<Context>) {
        let stack = build()
        run = { request, context, next in try await stack.handle(request, context: context, next: next) }
    }

    @inlinable
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await run(request, context, next)
    }
}
