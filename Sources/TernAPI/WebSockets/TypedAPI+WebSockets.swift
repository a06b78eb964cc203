import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket

extension TypedAPI {
    /// Adds a WebSocket endpoint under the API's prefix (and `prefix`).
    public mutating func include(_ route: WebSocketRoute, prefix extraPrefix: String = "") {
        var route = route
        route.path = Self.join(prefix, extraPrefix, route.path)
        webSockets.append(route)
    }

    /// Registers the WebSocket endpoints on the router that decides upgrades (see
    /// `HTTPServerBuilder.http1WebSocketUpgrade(limits:webSocketRouter:webSocket:)`).
    ///
    /// A client authenticates as browsers can: the `Authorization` header, a `token` query
    /// parameter, or, when it brought neither, `{"token": "..."}` as its first message (within
    /// ``WebSocketLimits/authenticationTimeout``). A socket whose inputs cannot be read (no valid
    /// token, missing scopes, an invalid query parameter) is accepted and closed at once with 1008
    /// (Policy Violation) and the error's detail as the reason, which a browser can read; a refused
    /// upgrade would only show it a failed connection.
    public func installWebSockets(on router: Router<APIWebSocketRequestContext>) {
        for route in webSockets {
            router.ws(OperationPath(template: route.path).routerPath) { inbound, outbound, context in
                let connection = WebSocketConnection(
                    inbound: .init(inbound, maxMessageSize: webSocketLimits.maxMessageSize), outbound: outbound,
                    logger: context.logger)
                await serve(route, request: context.request, context: context.requestContext, connection: connection)
            }
        }
    }

    /// Authenticates and reads the inputs, then runs the route's handler until the socket closes.
    func serve(_ route: WebSocketRoute, request: Request, context: APIWebSocketRequestContext, connection: WebSocketConnection) async {
        var request = Self.withQueryToken(request)
        do {
            var opened = await open(route, request: request, context: context)
            if case .failure(let error) = opened, Self.isUnauthenticated(error), request.headers[.authorization] == nil {
                guard let token = try await firstMessageToken(connection) else { return }
                request = Self.authorized(request, token: token)
                opened = await open(route, request: request, context: context)
            }
            switch opened {
            case .success(let run):
                try await run(connection)
            case .failure(let error):
                await connection.close(.policyViolation, reason: Self.reason(for: error))
            }
        } catch let error as InvalidMessage {
            await connection.close(error.code, reason: error.reason)
        } catch {
            // Hummingbird closes with the code of its own errors (1009 for a message too big);
            // anything else is the server's failure.
            connection.logger.error("WebSocket handler failed", metadata: ["route": "\(route.name)", "error": "\(error)"])
            await connection.close(.unexpectedServerError, reason: "")
        }
    }

    /// Reads the route's inputs from the upgrade request, as an operation reads them, and ends the
    /// request's scope: what the socket does afterwards is outside its unit of work.
    private func open(
        _ route: WebSocketRoute, request: Request, context: APIWebSocketRequestContext
    ) async -> Result<@Sendable (WebSocketConnection) async throws -> Void, any Error> {
        let incoming = IncomingRequest(
            request: request, pathParameters: Self.pathParameters(context.parameters), maxBodySize: 0,
            peer: context.remoteAddress, trustedProxies: trustedProxies)
        let scope = RequestScope(
            request: incoming, logger: context.logger, context: self.context, overrides: overrides, requiredScopes: route.requiredScopes)
        do {
            let run = try await route.open(scope)
            try await scope.complete(succeeded: true)
            return .success(run)
        } catch {
            try? await scope.complete(succeeded: false)
            return .failure(error)
        }
    }

    /// The token of a client that authenticates with its first message, `{"token": "..."}`; `nil`
    /// (the socket closed) when it sends something else, nothing in time, or closes.
    private func firstMessageToken(_ connection: WebSocketConnection) async throws -> String? {
        let timeout = webSocketLimits.authenticationTimeout
        let message = try await withThrowingTaskGroup(of: Result<JSONValue, InvalidMessage>?.self) { group in
            group.addTask { try await connection.nextJSON() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return .failure(InvalidMessage(code: .policyViolation, reason: "Not authenticated"))
            }
            defer { group.cancelAll() }
            let first: Result<JSONValue, InvalidMessage>?? = try await group.next()
            return first.flatMap { $0 }
        }
        switch message {
        case nil:
            return nil
        case .success(let json):
            guard let token = json["token"]?.stringValue else {
                throw InvalidMessage(code: .policyViolation, reason: #"Not authenticated: send {"token": "..."} first"#)
            }
            return token
        case .failure(let invalid):
            throw invalid
        }
    }

    /// The request with its `token` query parameter as a bearer token, when it has no
    /// `Authorization` header: browsers cannot send headers with a WebSocket.
    static func withQueryToken(_ request: Request) -> Request {
        guard request.headers[.authorization] == nil,
            let token = URLEncodedPairs(request.uri.query.map { Substring($0) } ?? "").values("token").last
        else { return request }
        return authorized(request, token: token)
    }

    static func authorized(_ request: Request, token: String) -> Request {
        var head = request.head
        head.headerFields[.authorization] = "Bearer \(token)"
        return Request(head: head, body: .init(buffer: ByteBuffer()))
    }

    static func isUnauthenticated(_ error: any Error) -> Bool {
        (error as? any APIErrorConvertible)?.apiError.status == .unauthorized
    }

    /// The close reason for inputs that could not be read: the error's detail, as the client would
    /// have read it in a JSON answer.
    static func reason(for error: any Error) -> String {
        if let validation = error as? RequestValidationError, let issue = validation.issues.first {
            return "\(issue.location.dotted): \(issue.message)"
        }
        guard let apiError = (error as? any APIErrorConvertible)?.apiError else { return "Internal Server Error" }
        return apiError.detail.stringValue ?? apiError.detail.jsonText
    }
}
