import Foundation
import TernRateLimit

/// One route of a ``TypedAPI``, as `api routes` lists it: what a reader of the code would otherwise
/// collect from the router, the input and every dependency's `Needs`.
public struct RouteSummary: Sendable, Hashable, Codable {
    /// `GET`, `POST`, ..., or `WEBSOCKET`.
    public let method: String
    /// The full path, OpenAPI style (`/api/v1/items/{id}`).
    public let path: String
    /// The operation id (`items-read_item`), or the WebSocket handler's name.
    public let operationID: String
    /// Every dependency the route resolves, with theirs, in the order they are first needed.
    public let dependencies: [String]
    /// The credentials the route accepts (any one will do), each with the scopes it must grant:
    /// `OAuth2PasswordBearer [items:read]`. Empty: the route is public.
    public let security: [String]
    /// The rate limits that apply, by rule: `login: 120 per 60 seconds by client`.
    public let rateLimits: [String]
    /// Whether the OpenAPI document shows the route.
    public let documented: Bool
}

extension TypedAPI {
    /// Every route the API serves through its operations and WebSockets, in the order they were
    /// included, with what each needs; derived from the declarations, as the OpenAPI document is.
    public var routeSummaries: [RouteSummary] {
        let operationRoutes = operations.map { operation in
            RouteSummary(
                method: operation.method.rawValue, path: operation.path, operationID: operation.operationID,
                dependencies: operation.documentedDependencies.map { String(describing: $0) },
                security: Self.security(operation.documentedDependencies, scopes: operation.requiredScopes),
                rateLimits: ((try? rateLimitRules(of: operation)) ?? []).map(\.summary),
                documented: operation.options.includeInSchema)
        }
        let webSocketRoutes = webSockets.map { route in
            let dependencies = route.documentedDependencies
            return RouteSummary(
                method: "WEBSOCKET", path: route.path, operationID: route.name,
                dependencies: dependencies.map { String(describing: $0) },
                security: Self.security(dependencies, scopes: route.requiredScopes), rateLimits: [], documented: false)
        }
        return operationRoutes + webSocketRoutes
    }

    /// The routes as a plain-text table, one route per line and its needs indented below it.
    public func routesTable() -> String {
        let routes = routeSummaries
        let methodWidth = routes.map(\.method.count).max() ?? 0
        let pathWidth = routes.map(\.path.count).max() ?? 0
        var lines: [String] = []
        for route in routes {
            let method = route.method.padding(toLength: methodWidth, withPad: " ", startingAt: 0)
            let path = route.path.padding(toLength: pathWidth, withPad: " ", startingAt: 0)
            lines.append("\(method)  \(path)  \(route.operationID)\(route.documented ? "" : "  (not in the docs)")")
            let indent = String(repeating: " ", count: methodWidth + 2)
            lines.append("\(indent)security:     \(route.security.isEmpty ? "public" : route.security.joined(separator: " or "))")
            if !route.dependencies.isEmpty {
                lines.append("\(indent)dependencies: \(route.dependencies.joined(separator: ", "))")
            }
            if !route.rateLimits.isEmpty {
                lines.append("\(indent)rate limits:  \(route.rateLimits.joined(separator: "; "))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The security requirements of `dependencies`, each with the scopes the route adds.
    private static func security(_ dependencies: [any Dependency.Type], scopes: [Scope]) -> [String] {
        dependencies.flatMap { $0.securityRequirements }.map { requirement in
            let allScopes = requirement.scopes + scopes.map(\.name)
            return allScopes.isEmpty ? requirement.scheme : "\(requirement.scheme) [\(allScopes.joined(separator: ", "))]"
        }.uniqued()
    }
}

extension ResolvedRateLimitRule {
    /// `login: 120 per 60 seconds by client`.
    var summary: String {
        "\(name): \(limits.map(\.description).joined(separator: ", ")) by \(key.kind)"
    }
}

extension WebSocketRoute {
    /// Every dependency the upgrade resolves, with theirs, each once.
    fileprivate var documentedDependencies: [any Dependency.Type] {
        var seen: Set<ObjectIdentifier> = []
        var dependencies: [any Dependency.Type] = []
        for dependency in inputType.dependencies {
            for needed in dependency.documentationClosure where seen.insert(ObjectIdentifier(needed)).inserted {
                dependencies.append(needed)
            }
        }
        return dependencies
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each only the first time it appears.
    fileprivate func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
