import TernAPI

/// A GraphQL request, as GraphQL over HTTP posts it: the document, the values of its variables and
/// which of its operations to run.
@Schema(name: "GraphQLRequest")
public struct GraphQLRequestBody {
    /// The GraphQL document.
    @Field(minLength: 1) public var query: String
    /// The values of the document's variables, by name: an object.
    public var variables: JSONValue?
    /// The operation to run, when the document has several.
    @Field(name: "operationName") public var operationName: String?
}
