import Foundation
import GraphQL
import Graphiti
import Logging
import TernAPI

/// A GraphQL API served by one operation: a Graphiti schema and its resolver, run for each request
/// with that request's context, within ``QueryLimits``.
///
/// Errors a resolver throws answer as the REST operations answer them: an `APIErrorConvertible`
/// error's detail is the GraphQL error's message, its status in the error's `extensions`; any
/// other error is logged, handed to the `ErrorReporter` if there is one, and answered as
/// `Internal Server Error`, its cause never shown.
public struct GraphQLEndpoint<Resolver: Sendable, ContextType: Sendable>: Sendable {
    public let resolver: Resolver
    public var limits: QueryLimits
    /// How errors of the application's types answer (the API's handlers: a database outage's 503).
    public var errorHandlers = ErrorHandlers()
    /// Where resolvers' unexpected errors are reported besides the log (the API's reporter).
    public var errorReporter: (any ErrorReporter)?
    private let schema: SchemaOnce<Resolver, ContextType>

    /// An endpoint whose schema is built by `schema` when the first operation runs, not at start-up:
    /// a server that never answers GraphQL then never holds the schema, nor the code that building it
    /// runs (GraphQL checks each name with a regular expression, compiled by ICU). A schema that fails
    /// to build fails each operation with the error, an unexpected one (a 500), until one builds.
    public init(
        resolver: Resolver, limits: QueryLimits = QueryLimits(),
        schema: @escaping @Sendable () throws -> Schema<Resolver, ContextType>
    ) {
        self.schema = SchemaOnce(build: schema)
        self.resolver = resolver
        self.limits = limits
    }

    /// An endpoint for a schema already built.
    public init(schema: Schema<Resolver, ContextType>, resolver: Resolver, limits: QueryLimits = QueryLimits()) {
        self.init(resolver: resolver, limits: limits, schema: { schema })
    }

    /// Runs the request's operation, for the HTTP request `scope` answers; a document that does not
    /// parse is answered like an invalid one.
    public func execute(_ request: GraphQLRequestBody, context: ContextType, scope: RequestScope) async throws -> GraphQLResponse {
        let variables = try Self.variables(of: request)
        let schema = try self.schema.get()
        let result: GraphQLResult
        do {
            result = try await schema.execute(
                request: request.query, resolver: resolver, context: context, variables: variables,
                operationName: request.operationName, validationRules: [limits.rule])
        } catch let syntaxError as GraphQLError {
            result = GraphQLResult(errors: [syntaxError])
        }
        return GraphQLResponse(GraphQLResult(data: result.data, errors: result.errors.map { answer($0, scope: scope) }))
    }

    /// The variables as GraphQL's values; variables that are not an object are a 422, as any invalid body.
    private static func variables(of request: GraphQLRequestBody) throws -> [String: Map] {
        guard let variables = request.variables, variables != .null else { return [:] }
        guard case .object = variables else {
            throw RequestValidationError([
                ValidationIssue(
                    type: "dict_type", location: ["body", "variables"], message: "Input should be a valid dictionary", input: variables)
            ])
        }
        return try JSONDecoder().decode([String: Map].self, from: Data(variables.jsonBytes))
    }

    /// A resolver's error as the client may see it; syntax and validation errors as they are.
    private func answer(_ error: GraphQLError, scope: RequestScope) -> GraphQLError {
        guard let cause = error.originalError, !(cause is GraphQLError) else { return error }
        var extensions = error.extensions
        let message: String
        if let answer = errorHandlers.answer(for: cause) {
            extensions["status"] = .int(answer.status.code)
            if case .string(let detail) = answer.detail {
                message = detail
            } else if let invalid = cause as? RequestValidationError {
                message = invalid.issues.map { "\($0.location.dotted): \($0.message)" }.joined(separator: "; ")
                extensions["detail"] = try? JSONDecoder().decode(Map.self, from: Data(answer.detail.jsonBytes))
            } else {
                message = APIError.reasonPhrase(answer.status)
                extensions["detail"] = try? JSONDecoder().decode(Map.self, from: Data(answer.detail.jsonBytes))
            }
        } else {
            scope.logger.error("unhandled error in a GraphQL resolver", metadata: ["error": "\(String(reflecting: cause))"])
            let request = scope.request
            let field = error.path.elements.map(\.indexPathValue.description).joined(separator: ".")
            errorReporter?.report(
                UnhandledError(
                    error: cause, method: request.method.rawValue, path: request.path, route: "\(request.path) \(field)",
                    requestID: scope.logger[metadataKey: "request_id"].map { "\($0)" }))
            extensions["status"] = .int(500)
            message = "Internal Server Error"
        }
        return GraphQLError(message: message, locations: error.locations, path: error.path, extensions: extensions)
    }
}

extension JSONValue {
    /// The value written as JSON, for GraphQL's decoder to read as its own values.
    fileprivate var jsonBytes: [UInt8] {
        var writer = JSONWriter()
        writer.value(self)
        return writer.bytes
    }
}
