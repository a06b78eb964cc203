import GraphQL
import HTTPTypes
import Hummingbird
import OpenAPIKit
import TernAPI

/// A GraphQL result as GraphQL over HTTP answers it with `application/json`: `200`, with `data`
/// when the operation ran and `errors` when something went wrong, both when a field failed.
public struct GraphQLResponse: ResponseContent {
    public let result: GraphQLResult

    public init(_ result: GraphQLResult) {
        self.result = result
    }

    public func encoded(for request: Request) throws -> EncodedResponse {
        // GraphQL's own encoder keeps the fields in the order the query selected them.
        let bytes = try GraphQLJSONEncoder().encode(result)
        return EncodedResponse(headers: [.contentType: "application/json"], body: .bytes(ByteBuffer(bytes: bytes)))
    }

    public static func responseDocumentation(components: inout SchemaComponents) -> (mediaType: String, schema: JSONSchema?) {
        let error = JSONSchema.object(
            title: "GraphQLError",
            properties: [
                "message": .string,
                "locations": .array(required: false, items: .object(properties: ["line": .integer, "column": .integer])),
                "path": .array(required: false, items: .any(of: [.string, .integer])),
                "extensions": .object(required: false),
            ])
        let schema = JSONSchema.object(
            title: "GraphQLResponse",
            description: "What the operation answered (`data`) and what went wrong (`errors`).",
            properties: [
                "data": .object(required: false, nullable: true),
                "errors": .array(required: false, items: error),
            ])
        return ("application/json", schema)
    }
}
