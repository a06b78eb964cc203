import Foundation
import HTTPTypes
import OpenAPIKit

extension TypedAPI {
    /// The OpenAPI 3.1 document of every operation, generated from the declarations alone: their
    /// parameters, bodies, responses (422 included), security, and one component per schema type.
    public func openAPIDocument() -> OpenAPI.Document {
        var components = SchemaComponents()
        var paths: OrderedDictionary<OpenAPI.Path, OpenAPI.PathItem> = [:]
        for operation in operations where operation.options.includeInSchema {
            let path = OpenAPI.Path(rawValue: OperationPath(template: operation.path).documented)
            var item = paths[path] ?? OpenAPI.PathItem()
            var documenter = OperationDocumenter(
                operation: operation, context: context, rateLimited: isRateLimited(operation), components: components)
            let described = documenter.document()
            components = documenter.components
            switch operation.method {
            case .get: item.get = described
            case .post: item.post = described
            case .put: item.put = described
            case .patch: item.patch = described
            case .delete: item.delete = described
            case .head: item.head = described
            case .options: item.options = described
            default: continue
            }
            paths[path] = item
        }
        var schemas = components.schemas
        for (name, schema) in StandardSchemas.all where schemas[name] == nil {
            schemas[name] = schema
        }
        var pathMap: OpenAPI.PathItem.Map = [:]
        for (path, item) in paths { pathMap[path] = .b(item) }
        var schemaMap: OpenAPI.ComponentDictionary<JSONSchema> = [:]
        for (name, schema) in schemas { schemaMap[OpenAPI.ComponentKey(stringLiteral: name)] = schema }
        var securityMap: OpenAPI.ComponentReferenceDictionary<OpenAPI.SecurityScheme> = [:]
        let usedScopes = operations.filter(\.options.includeInSchema).flatMap(\.requiredScopes)
        for (name, scheme) in securitySchemes.sorted(by: { $0.key < $1.key }) {
            securityMap[OpenAPI.ComponentKey(stringLiteral: name)] = .b(scheme.openAPI(usedScopes: usedScopes))
        }
        return OpenAPI.Document(
            openAPIVersion: .v3_1_0,
            info: .init(title: title, summary: summary, version: version),
            servers: [],
            paths: pathMap,
            components: .init(schemas: schemaMap, securitySchemes: securityMap))
    }

    /// The document as the JSON served at `/openapi.json`, keys sorted so that the same API always
    /// gives the same bytes (a committed copy diffs cleanly; an SDK generator sees no spurious change).
    /// `nullStyle` picks how values that may be null are written (`/openapi.json` uses `.anyOf`).
    public func openAPIJSON(prettyPrinted: Bool = false, nullStyle: OpenAPINullStyle = .anyOf) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            prettyPrinted ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        let document = try encoder.encode(openAPIDocument())
        guard nullStyle != .anyOf else { return Array(document) }
        return Array(try encoder.encode(nullStyle.rewrite(JSONParser.parse(Array(document)))))
    }
}

/// Describes one operation for the document.
private struct OperationDocumenter {
    let operation: APIOperation
    /// The API's context, for dependencies that document configured parameters.
    let context: any Sendable
    /// Whether a rate limit applies: the answers carry its headers, and 429 is possible.
    let rateLimited: Bool
    /// The components so far; read them back after ``document()``.
    var components: SchemaComponents

    mutating func document() -> OpenAPI.Operation {
        let input = operation.inputType
        let dependencies = operation.documentedDependencies
        let allParameters = input.parameters + dependencies.flatMap { $0.documentedParameters(in: context) }
        let parameters = allParameters.filter { $0.location != .form }.map { parameter($0) }
        let bodyDescription = input.requestBody ?? dependencies.lazy.compactMap { $0.needs.requestBody }.first
        let body = bodyDescription.map { requestBody($0) }
        var security: [OpenAPI.SecurityRequirement] = []
        let scopes = operation.requiredScopes.map(\.name)
        for requirement in dependencies.flatMap({ $0.securityRequirements }) {
            let entry: OpenAPI.SecurityRequirement = [.component(named: requirement.scheme): requirement.scopes + scopes]
            if !security.contains(entry) { security.append(entry) }
        }
        let responses = responses(
            validated: !allParameters.isEmpty || bodyDescription != nil, readsBody: bodyDescription != nil,
            dependencies: dependencies)
        let documented = OpenAPI.Operation(
            tags: operation.tags.isEmpty ? nil : operation.tags,
            summary: operation.summary,
            description: operation.options.description ?? operation.documentation,
            operationId: operation.operationID,
            parameters: parameters.map { .b($0) },
            requestBody: body,
            responses: responses,
            deprecated: operation.options.deprecated,
            security: security.isEmpty ? nil : security)
        return documented
    }

    private mutating func parameter(_ parameter: ParameterDescription) -> OpenAPI.Parameter {
        let schema = parameter.schema(&components)
        let context: OpenAPI.Parameter.Context =
            switch parameter.location {
            case .path: .path(schema: schema)
            case .query, .form: .query(required: parameter.required, schema: schema)
            case .header: .header(required: parameter.required, schema: schema)
            case .cookie: .cookie(required: parameter.required, schema: schema)
            }
        return OpenAPI.Parameter(
            name: parameter.name, context: context, description: parameter.options.description,
            deprecated: parameter.options.deprecated)
    }

    private mutating func requestBody(_ body: RequestBodyDescription) -> OpenAPI.Request {
        let schema = body.schema(&components, operation.operationID)
        let contentType: OpenAPI.ContentType =
            switch body.encoding {
            case .json: .json
            case .form: .form
            case .multipart: .multipartForm
            }
        return OpenAPI.Request(content: .direct([contentType: .init(schema: schema)]), required: body.required)
    }

    /// The headers of a successful answer: the rate limits' and the HTTP cache's.
    private var successHeaders: OpenAPI.Header.Map? {
        var names = rateLimited ? RateLimitHeaders.documentedFields.map(\.name.rawName) : []
        if let cache = operation.options.cache { names += cache.documentedHeaders }
        return Self.headerMap(names)
    }

    private static func headerMap(_ names: [String]) -> OpenAPI.Header.Map? {
        var map: OpenAPI.Header.Map = [:]
        for name in names { map[name] = .b(OpenAPI.Header(schema: .string)) }
        return map.isEmpty ? nil : map
    }

    /// The operation's own answer; a redirect (a 3xx status) has a `Location` and no content.
    private mutating func successResponse() -> OpenAPI.Response {
        if operation.options.status.kind == .redirection {
            var headers = successHeaders ?? [:]
            headers["Location"] = .b(OpenAPI.Header(schema: .string(format: .uri)))
            return OpenAPI.Response(description: "Redirect", headers: headers, content: [:])
        }
        let (mediaType, schema) = operation.documentResponse(&components)
        return OpenAPI.Response(
            description: "Successful Response", headers: successHeaders,
            content: .direct([OpenAPI.ContentType(rawValue: mediaType) ?? .json: .init(schema: schema ?? .fragment(.init()))]))
    }

    private mutating func responses(validated: Bool, readsBody: Bool, dependencies: [any Dependency.Type]) -> OpenAPI.Response.Map {
        var responses: OpenAPI.Response.Map = [.status(code: Int(operation.options.status.code)): .b(successResponse())]
        var errors = ErrorDescriptions()
        for dependency in dependencies {
            errors.add(dependency.errors)
        }
        errors.add(operation.options.errors)
        if !operation.requiredScopes.isEmpty {
            errors.add([InsufficientScope(required: operation.requiredScopes, challenge: "Bearer")])
        }
        for (code, description) in operation.options.responses.sorted(by: { $0.key < $1.key }) {
            errors.add(code, description)
        }
        if readsBody {
            errors.add([UnreadableBody()])
        }
        if rateLimited {
            errors.add([TooManyRequests.documented])
        }
        for (code, description, headers) in errors.byStatus where code != 422 {
            responses[.status(code: code)] = .b(
                OpenAPI.Response(
                    description: description, headers: Self.headerMap(headers),
                    content: .direct([.json: .init(schema: JSONSchema.reference(.component(named: "HTTPError")))])))
        }
        if let cache = operation.options.cache {
            responses[.status(code: 304)] = .b(
                OpenAPI.Response(
                    description: "Not Modified: the answer is the one whose ETag the request's If-None-Match holds",
                    headers: Self.headerMap(cache.documentedHeaders)))
        }
        if validated || errors.byStatus.contains(where: { $0.code == 422 }) {
            responses[.status(code: 422)] = .b(
                OpenAPI.Response(
                    description: "Validation Error",
                    content: .direct([.json: .init(schema: JSONSchema.reference(.component(named: "HTTPValidationError")))])))
        }
        return responses
    }
}

/// The error responses of an operation, by status: the texts of every error it can answer with
/// there, each once, in the order they were declared, and the headers they send.
private struct ErrorDescriptions {
    private var texts: [Int: [String]] = [:]
    private var headers: [Int: [String]] = [:]

    mutating func add(_ errors: [any APIErrorConvertible]) {
        for error in errors {
            let answer = error.apiError
            let code = Int(answer.status.code)
            add(code, answer.detail.stringValue ?? answer.detail.jsonText)
            for field in answer.headers where !headers[code, default: []].contains(field.name.rawName) {
                headers[code, default: []].append(field.name.rawName)
            }
        }
    }

    mutating func add(_ code: Int, _ text: String) {
        if !texts[code, default: []].contains(text) { texts[code, default: []].append(text) }
    }

    var byStatus: [(code: Int, description: String, headers: [String])] {
        texts.keys.sorted().map { (code: $0, description: texts[$0]!.joined(separator: "; "), headers: headers[$0] ?? []) }
    }
}

extension SecurityScheme {
    /// The scheme as documented; an OAuth2 flow lists its declared scopes and those `usedScopes`
    /// adds, so an operation's scope is never missing from the list a client requests from.
    func openAPI(usedScopes: [Scope]) -> OpenAPI.SecurityScheme {
        switch self {
        case .oauth2Password(let tokenURL, let declared):
            var scopes = OrderedDictionary<String, String>()
            for scope in (declared + usedScopes).sorted(by: { $0.name < $1.name }) where scopes[scope.name] == nil {
                scopes[scope.name] = scope.description
            }
            return .oauth2(flows: .init(password: .init(tokenUrl: URL(string: tokenURL)!, scopes: scopes)))
        case .httpBearer(let format):
            return .http(scheme: "bearer", bearerFormat: format)
        case .httpBasic:
            return .http(scheme: "basic")
        case .apiKeyHeader(let name):
            return .apiKey(name: name, location: .header)
        }
    }
}

/// The schemas every document has: FastAPI's validation error shapes, and the `{"detail": ...}` body
/// of other errors.
enum StandardSchemas {
    static let all: [(String, JSONSchema)] = [
        (
            "HTTPError",
            .object(
                title: "HTTPError", description: "An error: `detail` says what went wrong.",
                properties: ["detail": .string(title: "Detail")])
        ),
        (
            "HTTPValidationError",
            .object(
                title: "HTTPValidationError",
                properties: [
                    "detail": .array(required: false, title: "Detail", items: .reference(.component(named: "ValidationError")))
                ])
        ),
        (
            "ValidationError",
            .object(
                title: "ValidationError",
                properties: [
                    "loc": .array(title: "Location", items: .any(of: [.string, .integer])),
                    "msg": .string(title: "Message"),
                    "type": .string(title: "Error Type"),
                    "input": .fragment(required: false, title: "Input"),
                    "ctx": .object(required: false, title: "Context"),
                ])
        ),
    ]
}
