import Foundation
import Testing

@testable import TernAPI

@Suite("OpenAPI document", .timeLimit(.minutes(5)))
struct OpenAPIDocumentTests {
    private func document() throws -> JSONValue {
        try JSONParser.parse(fixtureAPI().openAPIJSON())
    }

    @Test("schemas are components, described once, with FastAPI's field rules")
    func components() throws {
        let schemas = try #require(try document()["components"]?["schemas"])
        let email = try #require(schemas["UserCreate"]?["properties"]?["email"])
        #expect(email["type"] == "string")
        #expect(email["format"] == "email")
        #expect(email["maxLength"] == 255)
        #expect(email["title"] == "Email")
        #expect(schemas["UserCreate"]?["required"] == ["email", "password"])
        #expect(schemas["UserCreate"]?["properties"]?["is_active"]?["default"] == true)
        #expect(schemas["Color"]?["enum"] == ["red", "green", "blue"])
        #expect(schemas["Thing"]?["properties"]?["color"]?["$ref"] == "#/components/schemas/Color")
        #expect(schemas["Thing"]?["properties"]?["tags"]?["maxItems"] == 3)
        #expect(schemas["HTTPValidationError"] != nil)
        #expect(schemas["ValidationError"]?["required"] == ["loc", "msg", "type"])
        #expect(schemas["Body_login_access_token"]?["properties"]?["grant_type"] != nil)
    }

    @Test("operations list their parameters, body, responses and security")
    func operations() throws {
        let paths = try #require(try document()["paths"])
        let readItems = try #require(paths["/items"]?["get"])
        #expect(readItems["operationId"] == "read_items")
        #expect(readItems["summary"] == "Read Items")
        #expect(readItems["parameters"]?[1]?["name"] == "limit")
        #expect(readItems["parameters"]?[1]?["schema"]?["maximum"] == 1000)
        #expect(
            readItems["responses"]?["422"]?["content"]?["application/json"]?["schema"]?["$ref"]
                == "#/components/schemas/HTTPValidationError")
        let createItem = try #require(paths["/items"]?["post"])
        #expect(createItem["requestBody"]?["required"] == true)
        #expect(createItem["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"] == "#/components/schemas/ItemCreate")
        let login = try #require(paths["/login/access-token"]?["post"])
        #expect(login["requestBody"]?["content"]?["application/x-www-form-urlencoded"] != nil)
        let headers = try #require(paths["/headers"]?["get"])
        #expect(headers["security"] == [["OAuth2PasswordBearer": []]])
        #expect(headers["responses"]?["401"] != nil)
        #expect(headers["parameters"]?[0]?["name"] == "x-token")
        #expect(headers["parameters"]?[0]?["in"] == "header")
        #expect(headers["parameters"]?[1]?["in"] == "cookie")
    }

    @Test("the document is OpenAPI 3.1 and declares the OAuth2 password flow")
    func securitySchemes() throws {
        let document = try document()
        #expect(document["openapi"] == "3.1.0")
        let scheme = try #require(document["components"]?["securitySchemes"]?["OAuth2PasswordBearer"])
        #expect(scheme["type"] == "oauth2")
        #expect(scheme["flows"]?["password"]?["tokenUrl"] == "/api/v1/login/access-token")
    }
}

@Suite("JSON parsing", .timeLimit(.minutes(5)))
struct JSONParsingTests {
    @Test("repeated keys keep the last value, in the first key's place")
    func repeatedKeys() throws {
        let value = try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == 3)
    }

    /// How long it takes is `FuzzTests.linearTime`'s to check.
    @Test("a body with a hundred thousand keys keeps them all, in order")
    func manyKeys() throws {
        let body = "{" + (0..<100_000).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
        let value = try JSONParser.parse(body)
        #expect(value.objectValue?.members.count == 100_000)
        #expect(value.objectValue?.keys.last == "k99999")
    }

    @Test("nesting is bounded")
    func depth() {
        #expect(throws: JSONParser.SyntaxError.self) {
            try JSONParser.parse(String(repeating: "[", count: 600) + String(repeating: "]", count: 600))
        }
    }
}
