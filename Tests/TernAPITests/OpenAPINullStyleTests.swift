import Testing

@testable import TernAPI

@Suite("OpenAPI null styles", .timeLimit(.minutes(1)))
struct OpenAPINullStyleTests {
    @Test("an optional value becomes its own type with null allowed, constraints and title kept")
    func optionalValue() {
        let schema: JSONValue = [
            "anyOf": [["maxLength": 255, "type": "string"], ["type": "null"]], "title": "Description",
        ]
        #expect(
            OpenAPINullStyle.typeArray.rewrite(schema) == [
                "title": "Description", "maxLength": 255, "type": ["string", "null"],
            ])
        #expect(OpenAPINullStyle.anyOf.rewrite(schema) == schema)
    }

    @Test("a reference that may be null stays a reference, and its property is no longer required")
    func nullableReference() {
        let object: JSONValue = [
            "type": "object",
            "properties": [
                "role": ["anyOf": [["$ref": "#/components/schemas/Role"], ["type": "null"]]],
                "name": ["type": "string"],
            ],
            "required": ["role", "name"],
        ]
        let rewritten = OpenAPINullStyle.typeArray.rewrite(object)
        #expect(rewritten["properties"]?["role"] == ["$ref": "#/components/schemas/Role"])
        #expect(rewritten["required"] == ["name"])
    }

    @Test("with several other branches only the null branch goes; nested schemas are rewritten too")
    func severalBranchesAndNesting() {
        let parameters: JSONValue = [
            [
                "name": "id", "in": "query",
                "schema": ["anyOf": [["type": "integer"], ["type": "string"], ["type": "null"]]],
            ],
            ["name": "q", "in": "query", "schema": ["anyOf": [["type": "string"], ["type": "null"]]]],
        ]
        let rewritten = OpenAPINullStyle.typeArray.rewrite(parameters)
        #expect(rewritten[0]?["schema"] == ["anyOf": [["type": "integer"], ["type": "string"]]])
        #expect(rewritten[1]?["schema"] == ["type": ["string", "null"]])
    }

    @Test("a whole document keeps no null branch, and parses back as JSON")
    func wholeDocument() throws {
        let api = fixtureAPI()
        let original = try JSONParser.parse(api.openAPIJSON())
        #expect(containsNullBranch(original), "the fixture has optional fields to rewrite")
        let rewritten = try JSONParser.parse(api.openAPIJSON(nullStyle: .typeArray))
        #expect(!containsNullBranch(rewritten))
        #expect(rewritten["paths"]?.objectValue?.keys == original["paths"]?.objectValue?.keys)
        #expect(try api.openAPIJSON(nullStyle: .anyOf) == api.openAPIJSON())
    }

    private func containsNullBranch(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let elements): elements.contains(where: containsNullBranch)
        case .object(let object):
            object["anyOf"]?.arrayValue?.contains(["type": "null"]) == true
                || object.members.contains { containsNullBranch($0.value) }
        default: false
        }
    }
}
