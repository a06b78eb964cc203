import Foundation
import HTTPTypes
import Hummingbird
import Logging

extension TypedAPI {
    /// Registers everything on a Hummingbird router: the operations, `405 Method Not Allowed` for
    /// known paths with other methods, the error middleware, the OpenAPI document and the docs.
    /// Fails with ``DuplicateRoute`` when two operations share a method and path (from different
    /// routers: `@APIRouter` refuses them within one), and with ``ContextMismatch`` when an operation
    /// uses a ``ContextDependency`` that the API's context cannot serve, or with ``UncheckedScopes``
    /// when an operation requires scopes and nothing authenticates its requests.
    public func install<RouterContext: RequestContext>(on router: Router<RouterContext>) throws {
        try checkRoutes()
        try checkContext()
        try checkScopes()
        router.add(middleware: APIErrorMiddleware<RouterContext>(handlers: errorHandlers, reporter: errorReporter))
        for operation in operations {
            let rateLimits = try rateLimitRules(of: operation)
            let requiredScopes = operation.requiredScopes
            let path = OperationPath(template: operation.path)
            router.on(path.routerPath, method: operation.method) { request, context in
                try await self.respond(
                    to: request, context: context, with: operation, requiredScopes: requiredScopes, rateLimits: rateLimits)
            }
        }
        registerMethodNotAllowed(on: router)
        registerDocumentation(on: router)
    }

    /// Runs an operation for one request: builds the request scope, lets the operation read its
    /// inputs (the body is collected when one of them reads it) and run, then completes the scope
    /// (committing the database session) before the response is written. A streamed body is
    /// written after that: what it reads, it reads outside the request's unit of work.
    /// `requiredScopes` and `rateLimits` are the operation's, worked out once, at install.
    func respond(
        to request: Request, context: some RequestContext, with operation: APIOperation, requiredScopes: [Scope],
        rateLimits: [ResolvedRateLimitRule]
    ) async throws -> Response {
        let incoming = IncomingRequest(
            request: request,
            pathParameters: Self.pathParameters(context.parameters, catchAll: OperationPath(template: operation.path).catchAllParameter),
            maxBodySize: operation.options.maxBodySize ?? maxBodySize, multipartLimits: multipartLimits,
            peer: (context as? any RemoteAddressRequestContext)?.remoteAddress, trustedProxies: trustedProxies)
        let scope = RequestScope(
            request: incoming, logger: context.logger, context: self.context, overrides: overrides,
            groupDependencies: operation.groupDependencies, requiredScopes: requiredScopes)
        var limitHeaders: HTTPFields = [:]
        do {
            if let rateLimiting, !rateLimits.isEmpty {
                limitHeaders = try await rateLimiting.enforce(rateLimits, in: scope)
            }
            let encoded = try await operation.perform(scope).encoded(for: request)
            try await scope.complete(succeeded: true)
            var headers = encoded.headers
            headers.append(contentsOf: limitHeaders)
            headers.append(contentsOf: scope.addedResponseHeaders())
            let status = encoded.status ?? operation.options.status
            var response =
                switch encoded.body {
                case .bytes(let body):
                    if let cache = operation.options.cache {
                        cache.response(status: status, headers: headers, body: body, request: request)
                    } else {
                        Response(status: status, headers: headers, body: .init(byteBuffer: body))
                    }
                case .stream(let body):
                    Response(status: status, headers: headers, body: body)
                }
            let afterResponse = scope.takeAfterResponseActions()
            if !afterResponse.isEmpty { response.body = Self.body(response.body, then: afterResponse) }
            return response
        } catch {
            try? await scope.complete(succeeded: false)
            throw limitHeaders.isEmpty ? error : ErrorWithHeaders(error: error, headers: limitHeaders)
        }
    }

    /// `body`, then, once it is written, `actions` in a task of their own: the connection goes on to
    /// its next request meanwhile (background tasks are best effort; see ``BackgroundTasks``).
    static func body(_ body: ResponseBody, then actions: [@Sendable () async -> Void]) -> ResponseBody {
        ResponseBody(contentLength: body.contentLength) { writer in
            try await body.write(writer)
            Task {
                for action in actions { await action() }
            }
        }
    }

    /// The API's default rule, the group's and the operation's, with their limits read from the context;
    /// rules without limits (a setting left empty) are left out.
    func rateLimitRules(of operation: APIOperation) throws -> [ResolvedRateLimitRule] {
        guard let rateLimiting else { return [] }
        let rules = (rateLimiting.defaultRule.map { [$0] } ?? []) + operation.groupRateLimits + operation.options.rateLimits
        return try rules.compactMap { rule in
            let limits = try rule.limits(in: context)
            return limits.isEmpty ? nil : ResolvedRateLimitRule(name: rule.name, limits: limits, key: rule.key)
        }
    }

    /// FastAPI answers 405 with `Allow` for a known path and another method; `HEAD` included, as
    /// its routes do not add `HEAD` to `GET`.
    /// No two operations answer the same method and path (as Hummingbird matches them).
    func checkRoutes() throws {
        var seen: Set<String> = []
        for operation in operations {
            let route = "\(operation.method.rawValue) \(OperationPath(template: operation.path).routerPath.description)"
            guard seen.insert(route).inserted else { throw DuplicateRoute(route: "\(operation.method.rawValue) \(operation.path)") }
        }
    }

    /// Every operation that requires scopes has a dependency that authenticates the request, which
    /// is what grants them: without one, the operation would refuse every request.
    func checkScopes() throws {
        for operation in operations where !operation.requiredScopes.isEmpty {
            guard operation.documentedDependencies.contains(where: { !$0.securityRequirements.isEmpty }) else {
                throw UncheckedScopes(route: "\(operation.method.rawValue) \(operation.path)")
            }
        }
    }

    /// Every context dependency of every operation can be served by ``context``.
    func checkContext() throws {
        for operation in operations {
            for case let dependency as any ContextDependency.Type in operation.documentedDependencies
            where !dependency.accepts(context) {
                throw ContextMismatch(
                    dependency: String(describing: dependency), needed: dependency.contextTypeName,
                    provided: String(describing: Context.self))
            }
        }
    }

    private func registerMethodNotAllowed<RouterContext: RequestContext>(on router: Router<RouterContext>) {
        // Keyed as Hummingbird matches paths (`/items` and `/items/` are one route).
        var methodsByPath: [String: [HTTPRequest.Method]] = [:]
        var order: [String] = []
        for operation in operations {
            let path = OperationPath(template: operation.path).routerPath.description
            if methodsByPath[path] == nil { order.append(path) }
            methodsByPath[path, default: []].append(operation.method)
        }
        let allMethods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head, .options]
        for path in order {
            let methods = methodsByPath[path] ?? []
            let allow = methods.map(\.rawValue).joined(separator: ", ")
            for method in allMethods where !methods.contains(method) {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    throw APIError(.methodNotAllowed, "Method Not Allowed", headers: [.allow: allow])
                }
            }
        }
    }

    /// The path parameters by name, percent-decoded; what a `**` caught goes by the catch-all's
    /// name, decoded once it is whole (so `%2F` cannot make a segment of its own unnoticed).
    static func pathParameters(_ parameters: Parameters, catchAll: @autoclosure () -> String? = nil) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in parameters {
            let value = String(value)
            let key = name == Parameters.recursiveCaptureKey ? catchAll() ?? String(name) : String(name)
            // Bytes, not Foundation's `contains(_:)` for strings, which searches through NSString.
            result[key] = value.utf8.contains(UInt8(ascii: "%")) ? value.removingPercentEncoding ?? value : value
        }
        return result
    }
}

/// Two operations of an API answer the same method and path: the second could never run.
public struct DuplicateRoute: Error, CustomStringConvertible {
    public let route: String
    public var description: String { "\(route) is declared by two operations" }
}

/// An operation requires scopes, but none of its dependencies authenticates the request: a
/// programming error (a forgotten `@Depends var current: CurrentUser`), reported at install.
public struct UncheckedScopes: Error, CustomStringConvertible {
    public let route: String
    public var description: String { "\(route) requires scopes, but no dependency of it authenticates the request to grant them" }
}
