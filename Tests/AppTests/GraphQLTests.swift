import Foundation
import TernPrimitives
import TestSupport
import Testing

@testable import App
@testable import TernAPI

@Suite("GraphQL at /graphql", .timeLimit(.minutes(5)))
struct GraphQLTests {
    @Test("a user's token reads exactly that user's items, through the same rules as REST", arguments: Backend.allCases)
    func ownItems(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let owner = try await app.createUser(email: "owner@example.com")
            let other = try await app.createUser(email: "other@example.com")
            let mine = try await app.createItem(title: "Mine", owner: owner, createdAt: Date())
            try await app.createItem(title: "Also mine", owner: owner, createdAt: Date())
            let theirs = try await app.createItem(title: "Theirs", owner: other, createdAt: Date())
            let token = try await client.login("owner@example.com", "user-password")

            let listed = try await client.graphQL(
                "{ items { count data { id title ownerId owner { email } } } me { email } }", token: token)
            #expect(listed.status == 200)
            #expect(listed.json["errors"] == nil, "\(listed.text)")
            #expect(listed.json["data"]?["items"]?["count"] == 2)
            let titles = Set(listed.json["data"]?["items"]?["data"]?.arrayValue?.compactMap { $0["title"]?.stringValue } ?? [])
            #expect(titles == ["Mine", "Also mine"])
            #expect(listed.json["data"]?["items"]?["data"]?[0]?["ownerId"] == .string(owner.id.lowercasedString))
            #expect(listed.json["data"]?["items"]?["data"]?[0]?["owner"]?["email"] == "owner@example.com")
            #expect(listed.json["data"]?["me"]?["email"] == "owner@example.com")

            let own = try await client.graphQL(#"{ item(id: "\#(mine.id.lowercasedString)") { title } }"#, token: token)
            #expect(own.json["data"]?["item"]?["title"] == "Mine")
            let forbidden = try await client.graphQL(#"{ item(id: "\#(theirs.id.lowercasedString)") { title } }"#, token: token)
            #expect(forbidden.json["errors"]?[0]?["message"] == "Not enough permissions")
            #expect(forbidden.json["errors"]?[0]?["extensions"]?["status"] == 403)
            #expect(forbidden.json["errors"]?[0]?["path"] == ["item"])

            let everyone = try await client.graphQL("{ items { count } }", token: try await client.superuserToken())
            #expect(everyone.json["data"]?["items"]?["count"] == 3)

            let anonymous = try await client.graphQL("{ items { count } }")
            #expect(anonymous.json["errors"]?[0]?["message"] == "Not authenticated")
            #expect(anonymous.json["errors"]?[0]?["extensions"]?["status"] == 401)
            let tooMany = try await client.graphQL("{ items(limit: 100000) { count } }", token: token)
            #expect(tooMany.json["errors"]?[0]?["extensions"]?["status"] == 422)
            #expect(tooMany.json["errors"]?[0]?["extensions"]?["detail"]?[0]?["loc"] == ["limit"])
        }
    }

    @Test("mutations create, change and delete items, each its own unit of work, validated as REST bodies are", arguments: Backend.allCases)
    func mutations(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "owner@example.com")
            let token = try await client.login("owner@example.com", "user-password")
            let created = try await client.graphQL(
                #"mutation { createItem(title: "Lamp", description: "Bright") { id title } }"#, token: token)
            let id = try #require(created.json["data"]?["createItem"]?["id"]?.stringValue, "\(created.text)")
            #expect(try await client.get("/items/\(id)", token: token).json["title"] == "Lamp")

            let update =
                "mutation($id: UUID!, $description: String) { updateItem(id: $id, description: $description) { title description } }"
            let cleared = try await client.graphQL(update, variables: ["id": .string(id), "description": .null], token: token)
            #expect(cleared.json["data"]?["updateItem"]?["title"] == "Lamp", "only the fields sent change")
            #expect(cleared.json["data"]?["updateItem"]?["description"] == .null)

            // The first field commits; the second is invalid and changes nothing (its `Item!` being
            // non-null, its error nulls the whole `data`, as GraphQL has it).
            let both = try await client.graphQL(
                #"mutation { a: createItem(title: "Desk") { id } b: createItem(title: "") { id } }"#, token: token)
            #expect(both.json["errors"]?[0]?["path"] == ["b"])
            #expect(both.json["errors"]?[0]?["extensions"]?["detail"]?[0]?["type"] == "string_too_short")
            #expect(try await client.get("/items/", token: token).json["count"] == 2)

            let deleted = try await client.graphQL(#"mutation { deleteItem(id: "\#(id)") { message } }"#, token: token)
            #expect(deleted.json["data"]?["deleteItem"]?["message"] == "Item deleted successfully")
            #expect(try await client.get("/items/\(id)", token: token).status == 404)
        }
    }

    @Test("users: a superuser lists and reads accounts, a user only their own; updateMe changes only the fields sent")
    func users() async throws {
        try await TestApp.run(.sqlite) { client, app in
            let owner = try await app.createUser(email: "owner@example.com")
            let other = try await app.createUser(email: "other@example.com")
            let token = try await client.login("owner@example.com", "user-password")
            let superuser = try await client.superuserToken()

            let listed = try await client.graphQL("{ users(limit: 10) { count data { email } } }", token: superuser)
            #expect(listed.json["data"]?["users"]?["count"] == 3, "\(listed.text)")
            #expect(try await client.graphQL("{ users { count } }", token: token).json["errors"]?[0]?["extensions"]?["status"] == 403)

            let own = try await client.graphQL(#"{ user(id: "\#(owner.id.lowercasedString)") { email } }"#, token: token)
            #expect(own.json["data"]?["user"]?["email"] == "owner@example.com")
            let others = try await client.graphQL(#"{ user(id: "\#(other.id.lowercasedString)") { email } }"#, token: token)
            #expect(others.json["errors"]?[0]?["extensions"]?["status"] == 403)
            let asSuperuser = try await client.graphQL(#"{ user(id: "\#(other.id.lowercasedString)") { email } }"#, token: superuser)
            #expect(asSuperuser.json["data"]?["user"]?["email"] == "other@example.com")

            let renamed = try await client.graphQL(#"mutation { updateMe(fullName: "Ada") { fullName email } }"#, token: token)
            #expect(renamed.json["data"]?["updateMe"]?["fullName"] == "Ada", "\(renamed.text)")
            #expect(renamed.json["data"]?["updateMe"]?["email"] == "owner@example.com")
            let invalid = try await client.graphQL(#"mutation { updateMe(email: "not an email") { email } }"#, token: token)
            #expect(invalid.json["errors"]?[0]?["extensions"]?["detail"]?[0]?["loc"] == ["email"])
            #expect(try await client.get("/users/me", token: token).json["full_name"] == "Ada")
        }
    }

    @Test("a query nested past GRAPHQL_MAX_DEPTH is refused before it runs; introspection needs no token")
    func limitsAndIntrospection() async throws {
        try await TestApp.run(.sqlite) { client, app in
            _ = try await app.createUser(email: "owner@example.com")
            let token = try await client.login("owner@example.com", "user-password")
            let deep = "{ me { items { data { owner { items { data { owner { items { data { owner { id } } } } } } } } } } }"
            let refused = try await client.graphQL(deep, token: token)
            #expect(refused.status == 200)
            #expect(refused.json["data"] == nil)
            #expect(refused.json["errors"]?[0]?["extensions"]?["code"] == "QUERY_TOO_DEEP")

            let introspection = try await client.graphQL("{ __schema { queryType { name } types { name fields { name } } } }")
            #expect(introspection.json["errors"] == nil, "\(introspection.text)")
            #expect(introspection.json["data"]?["__schema"]?["queryType"]?["name"] == "Query")
            let types = introspection.json["data"]?["__schema"]?["types"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(Set(["Item", "ItemPage", "User", "UUID", "DateTime"]).isSubset(of: Set(types)))

            let page = try await client.getOutsideAPI("/graphql")
            #expect(page.status == 200)
            #expect(page.text.contains("GraphiQL.createFetcher"))
        }
    }
}
