import Foundation
import HTTPTypes
import Hummingbird
import Logging

extension API {
    /// Registers everything on a Hummingbird router: the operations, `405 Method Not Allowed` for
    /// known paths with other methods, the error middleware, the OpenAPI document and the docs.
    public func install<Context: RequestContext>(on router: Router<Context>) throws {
        router.add(middleware: APIErrorMiddleware<Context>(handlers: errorHandlers))
        for operation in operations {
            let readsBody = operation.readsBody
            router.on(RouterPath(Self.hummingbirdPath(operation.path)), method: operation.method) { request, context in
                try await self.respond(to: request, context: context, with: operation, readsBody: readsBody)
            }
        }
        registerMethodNotAllowed(on: router)
        try registerDocumentation(on: router)
    }

    /// Runs an operation for one request: collects the body (if it reads one), builds the request scope, lets the
    /// operation read its inputs and run, then completes the scope (committing the database session)
    /// before the response is written.
    func respond(
        to request: Request, context: some RequestContext, with operation: Operation, readsBody: Bool
    ) async throws -> Response {
        var request = request
        let body = readsBody ? try await request.collectBody(upTo: maxBodySize) : ByteBuffer()
        let incoming = IncomingRequest(request: request, pathParameters: Self.pathParameters(context.parameters), body: body)
        let scope = RequestScope(request: incoming, logger: context.logger, shared: shared, overrides: overrides)
        scope.groupDependencies = operation.groupDependencies
        do {
            let content = try await operation.perform(scope)
            try await scope.complete(succeeded: true)
            return try content.response(status: operation.options.status)
        } catch {
            try? await scope.complete(succeeded: false)
            throw error
        }
    }

    private func registerMethodNotAllowed<Context: RequestContext>(on router: Router<Context>) {
        var methodsByPath: [String: [HTTPRequest.Method]] = [:]
        var order: [String] = []
        for operation in operations {
            if methodsByPath[operation.path] == nil { order.append(operation.path) }
            methodsByPath[operation.path, default: []].append(operation.method)
        }
        let allMethods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head, .options]
        for path in order {
            let methods = methodsByPath[path] ?? []
            let allow = methods.map(\.rawValue).joined(separator: ", ")
            for method in allMethods where !methods.contains(method) && !(method == .head && methods.contains(.get)) {
                router.on(RouterPath(Self.hummingbirdPath(path)), method: method) { _, _ -> Response in
                    throw APIError(.methodNotAllowed, "Method Not Allowed", headers: [.allow: allow])
                }
            }
        }
    }

    /// `/items/{id}` → `/items/:id`.
    static func hummingbirdPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { component in
            component.hasPrefix("{") && component.hasSuffix("}") ? ":" + component.dropFirst().dropLast() : component
        }.joined(separator: "/")
    }

    static func pathParameters(_ parameters: Parameters) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in parameters {
            result[String(name)] = String(value).removingPercentEncoding ?? String(value)
        }
        return result
    }
}
