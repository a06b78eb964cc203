import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOWebSocket
import TestSupport
import Testing

@testable import TernAPI

private let echoScope = Scope("echo", description: "Echo messages")

/// The caller named by the bearer token: `alice` may echo, `bob` may not, anything else is refused.
private struct SocketCaller: Dependency {
    let name: String

    @Input
    struct Needs {
        @Depends var bearer: OAuth2PasswordBearer
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> SocketCaller {
        guard ["alice", "bob"].contains(needs.bearer.token) else { throw APIError(.unauthorized, "Could not validate credentials") }
        scope.grant(needs.bearer.token == "alice" ? ["echo"] : [], challenge: "Bearer")
        return SocketCaller(name: needs.bearer.token)
    }
}

@Input
private struct EchoInput {
    @Depends var caller: SocketCaller
    @Query var prefix: String = ""
}

@Schema
struct EchoRequest {
    @Field(minLength: 1) var text: String
    var times: Int = 1
}

@Schema
struct EchoReply {
    var from: String
    var text: String
}

/// `/ws/echo`: answers each message `times` times, as `{prefix}{text}` from the caller.
private let echoRoute = WebSocketRoute(
    "/ws/echo", name: "echo", scopes: [echoScope], receives: EchoRequest.self, sends: EchoReply.self
) { (input: EchoInput, session) in
    for try await message in session.messages {
        for _ in 0..<message.times { try await session.send(EchoReply(from: input.caller.name, text: input.prefix + message.text)) }
    }
}

/// Runs `body` with the port of a live server whose API has the echo socket and `GET /plain`.
private func withSocketServer(limits: WebSocketLimits = WebSocketLimits(), _ body: @Sendable (Int) async throws -> Void) async throws {
    var api = TypedAPI(title: "Sockets", version: "1", prefix: "/api")
    api.webSocketLimits = limits
    api.include(echoRoute)
    let router = Router(context: APIRequestContext.self)
    router.get("/plain") { _, _ in "plain" }
    let webSocketRouter = Router(context: APIWebSocketRequestContext.self)
    api.installWebSockets(on: webSocketRouter)
    var logger = Logger(label: "sockets")
    logger.logLevel = .warning
    let application = Application(
        router: router,
        server: .http1WebSocketUpgrade(limits: HTTPServerLimits(), webSocketRouter: webSocketRouter, webSocket: limits),
        configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
    try await application.test(.live) { client in try await body(try #require(client.port)) }
}

/// What a client saw: the messages it received and how the server closed.
private struct Conversation: Sendable {
    var received: [String] = []
    var closeCode: WebSocketErrorCode?
    var closeReason: String?
}

/// Connects, sends `messages` (text), and reads replies until the server closes or `replies` came.
private func converse(
    port: Int, path: String, headers: HTTPFields = [:], messages: [String], replies: Int = .max
) async throws -> Conversation {
    let (received, close) = try await RawWebSocketClient.connect(
        port: port, path: path, headers: headers.map { ($0.name.rawName, $0.value) }
    ) { socket in
        for message in messages { await socket.send(message) }
        var received: [String] = []
        while received.count < replies, let message = try await socket.receive() { received.append(message) }
        return received
    }
    return Conversation(received: received, closeCode: close?.code, closeReason: close?.reason)
}

@Suite("WebSockets over a live socket", .timeLimit(.minutes(2)))
struct WebSocketTests {
    @Test("validated messages in, typed messages out, with the inputs of the upgrade request")
    func echo() async throws {
        try await withSocketServer { port in
            let conversation = try await converse(
                port: port, path: "/api/ws/echo?prefix=%3E%20", headers: [.authorization: "Bearer alice"],
                messages: [#"{"text": "hi", "times": 2}"#, #"{"text": "bye"}"#], replies: 3)
            #expect(
                conversation.received == [
                    #"{"from":"alice","text":"> hi"}"#, #"{"from":"alice","text":"> hi"}"#, #"{"from":"alice","text":"> bye"}"#,
                ])
            #expect(conversation.closeCode == .normalClosure)
        }
    }

    @Test("a message that fails validation closes the socket with 1008 and the problem as the reason")
    func invalidMessage() async throws {
        try await withSocketServer { port in
            let path = "/api/ws/echo?token=alice"
            let empty = try await converse(port: port, path: path, messages: [#"{"text": ""}"#])
            #expect(empty.closeCode == .policyViolation)
            #expect(empty.closeReason == "text: String should have at least 1 character")
            let wrongType = try await converse(port: port, path: path, messages: [#"{"text": "a", "times": "many"}"#])
            #expect(wrongType.closeReason == "times: Input should be a valid integer, unable to parse string as an integer")
            let notJSON = try await converse(port: port, path: path, messages: ["{text"])
            #expect(notJSON.closeCode == .policyViolation)
            #expect(notJSON.closeReason?.hasPrefix("message is not JSON") == true)
        }
    }

    @Test("a token in the query, or in the first message, authenticates; a bad or missing one closes with 1008")
    func authentication() async throws {
        try await withSocketServer(limits: WebSocketLimits(authenticationTimeout: .milliseconds(300))) { port in
            let hello = #"{"text": "hello"}"#
            let query = try await converse(port: port, path: "/api/ws/echo?token=alice", messages: [hello], replies: 1)
            #expect(query.received == [#"{"from":"alice","text":"hello"}"#])
            let first = try await converse(port: port, path: "/api/ws/echo", messages: [#"{"token": "alice"}"#, hello], replies: 1)
            #expect(first.received == [#"{"from":"alice","text":"hello"}"#])

            let bad = try await converse(port: port, path: "/api/ws/echo?token=mallory", messages: [hello])
            #expect(bad.received.isEmpty)
            #expect(bad.closeCode == .policyViolation)
            #expect(bad.closeReason == "Could not validate credentials")
            let noToken = try await converse(port: port, path: "/api/ws/echo", messages: [hello])
            #expect(noToken.closeCode == .policyViolation)
            #expect(noToken.closeReason == #"Not authenticated: send {"token": "..."} first"#)
            let silent = try await converse(port: port, path: "/api/ws/echo", messages: [])
            #expect(silent.closeCode == .policyViolation)
            #expect(silent.closeReason == "Not authenticated")
        }
    }

    @Test("every refused client hears its 1008, however many arrive at once")
    func refusalsUnderLoad() async throws {
        try await withSocketServer { port in
            let codes = try await withThrowingTaskGroup(of: WebSocketErrorCode?.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await converse(port: port, path: "/api/ws/echo?token=mallory", messages: [#"{"text": "hi"}"#]).closeCode
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(codes == Array(repeating: .policyViolation, count: 40))
        }
    }

    @Test("a caller without the route's scopes is closed with 1008")
    func scopes() async throws {
        try await withSocketServer { port in
            let bob = try await converse(port: port, path: "/api/ws/echo?token=bob", messages: [#"{"text": "hi"}"#])
            #expect(bob.received.isEmpty)
            #expect(bob.closeCode == .policyViolation)
            #expect(bob.closeReason == "Not enough permissions")
        }
    }

    @Test("a message past the size cap closes the socket with 1009, whether just past it or far past it")
    func messageTooBig() async throws {
        try await withSocketServer(limits: WebSocketLimits(maxMessageSize: 1000)) { port in
            // Just past the cap, and far past it: the server then closes with most of the message
            // unread, so a reset follows its close frame (the client must still hear the 1009).
            for size in [2_000, 300_000] {
                let big = #"{"text": "\#(String(repeating: "x", count: size))"}"#
                let conversation = try await converse(port: port, path: "/api/ws/echo?token=alice", messages: [big])
                #expect(conversation.received.isEmpty)
                #expect(conversation.closeCode == .messageTooLarge)
            }
        }
    }

    @Test("plain requests are served beside the sockets, and an unknown socket path is refused")
    func plainRequestsAndUnknownPaths() async throws {
        try await withSocketServer { port in
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/plain"), timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 10)
            #expect(String(buffer: body) == "plain")
            await #expect(throws: (any Error).self) {
                _ = try await converse(port: port, path: "/api/ws/nowhere?token=alice", messages: [])
            }
        }
    }
}
