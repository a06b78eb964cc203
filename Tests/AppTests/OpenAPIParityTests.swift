import Foundation
import TestSupport
import Testing

@testable import TernAPI

@Suite("OpenAPI document parity with the reference template", .timeLimit(.minutes(5)))
struct OpenAPIParityTests {
    /// The reference template's component schemas, recorded with FastAPI (Fixtures/record-reference-schemas.py).
    private static func referenceSchemas() throws -> JSONObject {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/reference-schemas.json")
        guard let schemas = try JSONParser.parse(Array(Data(contentsOf: url))).objectValue else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return schemas
    }

    /// Where the two documents differ on purpose:
    /// - the reference template's `UserPublic` promises an email format that its private route
    ///   (`email: str`) does not check, and ours does not;
    /// - our `Token` adds an optional `refresh_token` (an extra field the reference client ignores);
    /// - users have a `role` (between user and superuser), optional wherever it is sent, and show
    ///   whether their email `is_verified`;
    /// - the pages of users and items carry a `next_cursor` (keyset pagination, `null` on the last).
    private static func withoutDeliberateDifferences(_ schemas: JSONObject) -> JSONObject {
        var schemas = schemas
        func add(_ property: String, _ schema: JSONValue, to name: String) {
            guard case .object(var object)? = schemas[name], case .object(var properties)? = object["properties"] else { return }
            properties[property] = schema
            object["properties"] = .object(properties)
            schemas[name] = .object(object)
        }
        add("refresh_token", ["anyOf": [["type": "string"], ["type": "null"]], "title": "Refresh Token"], to: "Token")
        for page in ["ItemsPublic", "UsersPublic"] {
            add("next_cursor", ["anyOf": [["type": "string"], ["type": "null"]], "title": "Next Cursor"], to: page)
        }
        let role: JSONValue = ["$ref": "#/components/schemas/Role", "default": "user"]
        add("role", role, to: "UserPublic")
        add("is_verified", ["type": "boolean", "default": false, "title": "Is Verified"], to: "UserPublic")
        add("role", role, to: "UserCreate")
        add("role", ["anyOf": [["$ref": "#/components/schemas/Role"], ["type": "null"]]], to: "UserUpdate")
        if case .object(var user)? = schemas["UserPublic"], case .object(var properties)? = user["properties"],
            case .object(var email)? = properties["email"]
        {
            email["format"] = nil
            properties["email"] = .object(email)
            user["properties"] = .object(properties)
            schemas["UserPublic"] = .object(user)
        }
        return schemas
    }

    @Test("every schema the reference template documents is documented the same (besides descriptions)")
    func sameSchemas() async throws {
        let reference = Self.withoutDeliberateDifferences(try Self.referenceSchemas())
        try await TestApp.run(.sqlite) { client, _ in
            let ours = try await client.get("/openapi.json").json["components"]?["schemas"]?.objectValue
            for (name, expected) in reference.members {
                #expect(ours?[name].map(withoutDescription) == expected, "\(name)")
            }
        }
    }

    /// A schema as the reference would have it: our doc comments become descriptions it lacks.
    private func withoutDescription(_ schema: JSONValue) -> JSONValue {
        guard var object = schema.objectValue else { return schema }
        object["description"] = nil
        return .object(object)
    }
}
