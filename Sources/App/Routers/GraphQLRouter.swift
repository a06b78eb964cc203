import TernAPI
import TernGraphQL

@Input
struct GraphQLInput {
    @Body var request: GraphQLRequestBody
    @Depends var context: GraphQLContext
}

/// GraphQL (tag `graphql`), beside the REST API rather than under its prefix: `POST /graphql` runs an
/// operation of ``AppGraphQL``, `GET /graphql` is GraphiQL to write one in.
@APIRouter(tags: ["graphql"])
struct GraphQLRouter {
    let endpoint: GraphQLEndpoint<AppGraphQLResolver, GraphQLContext>
    let page: GraphiQLPage

    /// Run a GraphQL operation.
    ///
    /// Answers 200 with `data` and `errors` as GraphQL over HTTP does: an operation that is invalid,
    /// too deep or too large (`GRAPHQL_MAX_DEPTH`, `GRAPHQL_MAX_COMPLEXITY`) does not run; a field
    /// that fails is `null`, its error giving the REST status (`extensions.status`). Send a token as
    /// for the REST operations; introspection needs none.
    @POST("/graphql")
    func execute(_ input: GraphQLInput) async throws -> GraphQLResponse {
        try await endpoint.execute(input.request, context: input.context, scope: input.context.scope)
    }

    /// GraphiQL, to explore the schema and run operations in the browser.
    @GET("/graphql")
    func graphiQL() -> CustomResponse {
        page.response
    }
}
