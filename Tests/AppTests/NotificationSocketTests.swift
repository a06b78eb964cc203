import HummingbirdTesting
import NIOWebSocket
import TernAPI
import TestSupport
import Testing

@testable import App

/// The notifications WebSocket, through the test client's WebSocket support (the live transport).
@Suite("Notification sockets", .timeLimit(.minutes(5)))
struct NotificationSocketTests {
    private static let socket = "/notifications/items/ws"

    @Test("an owner's socket is told each change of their item; another user's socket is not", arguments: Backend.allCases)
    func ownerIsTold(backend: Backend) async throws {
        try await TestApp.run(backend, testing: .live) { client, app in
            _ = try await app.createUser(email: "owner@example.com")
            _ = try await app.createUser(email: "other@example.com")
            let owner = try await client.login("owner@example.com", "user-password")
            let other = try await client.login("other@example.com", "user-password")
            let (otherSubscribed, subscribed) = AsyncStream.makeStream(of: Void.self)
            try await withThrowingTaskGroup { group in
                group.addTask {
                    try await client.webSocket(Self.socket, token: other) { socket in
                        await socket.send(["type": "ping"])
                        #expect(try await socket.receive() == ["type": "pong", "item": nil])
                        subscribed.yield()
                        // The first change this socket hears of is its user's own, made after the owner's.
                        let first = try await socket.receive()
                        #expect(first?["type"] == "item.created")
                        #expect(first?["item"]?["title"] == "Not the owner's")
                    }
                }
                for await _ in otherSubscribed { break }

                let close = try await client.webSocket(Self.socket, token: owner) { socket in
                    await socket.send(["type": "ping"])
                    #expect(try await socket.receive() == ["type": "pong", "item": nil])
                    let created = try await client.post("/items/", json: ["title": "Lamp"], token: owner)
                    let id = try #require(created.json["id"]?.stringValue)
                    let createdMessage = try await socket.receive()
                    #expect(createdMessage?["type"] == "item.created")
                    #expect(createdMessage?["item"] == created.json)
                    let updated = try await client.put("/items/\(id)", json: ["title": "Desk lamp"], token: owner)
                    let updatedMessage = try await socket.receive()
                    #expect(updatedMessage?["type"] == "item.updated")
                    #expect(updatedMessage?["item"] == updated.json)
                    #expect(try await client.delete("/items/\(id)", token: owner).status == 200)
                    let deletedMessage = try await socket.receive()
                    #expect(deletedMessage?["type"] == "item.deleted")
                    #expect(deletedMessage?["item"]?["id"] == .string(id))
                }
                #expect(close?.code == .normalClosure)
                #expect(try await client.post("/items/", json: ["title": "Not the owner's"], token: other).status == 200)
                try await group.waitForAll()
            }
        }
    }

    @Test("a bad token, an invalid message and a malformed one close the socket with 1008 and the reason")
    func refusals() async throws {
        try await TestApp.run(.sqlite, testing: .live) { client, app in
            let forged = try await client.webSocket(Self.socket, token: "not-a-token") { socket in try await socket.drain() }
            #expect(forged?.code == .policyViolation)
            #expect(forged?.reason == "Could not validate credentials")

            _ = try await app.createUser(email: "owner@example.com")
            let token = try await client.login("owner@example.com", "user-password")
            let invalid = try await client.webSocket(Self.socket, token: token) { socket in
                await socket.send(["type": "subscribe"])
                try await socket.drain()
            }
            #expect(invalid?.code == .policyViolation)
            #expect(invalid?.reason == "type: Input should be 'ping'")

            let malformed = try await client.webSocket(Self.socket, token: token) { socket in
                await socket.send(text: "{type")
                try await socket.drain()
            }
            #expect(malformed?.code == .policyViolation)
            #expect(malformed?.reason.hasPrefix("message is not JSON") == true)
        }
    }

    @Test("the in-process transport says WebSockets need the live one, instead of crashing")
    func needsLiveTransport() async throws {
        try await TestApp.run(.sqlite) { client, _ in
            await #expect(throws: TestSetupError.self) { try await client.webSocket(Self.socket) { _ in } }
        }
    }
}
