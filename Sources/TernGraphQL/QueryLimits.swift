import GraphQL

/// How large a GraphQL operation may be, checked when the document is validated, before anything
/// runs: a schema whose types refer to each other (an item's owner, the owner's items) lets one small
/// document ask for a great deal.
///
/// - depth: how deeply fields nest, `{ me { id } }` being 2. Introspection (`__schema`, `__type`)
///   does not count: tools send a standard introspection query whose type references nest deeply.
/// - complexity: how many fields the operation selects once its fragments are spelled out, so a
///   fragment spread many times costs each time.
public struct QueryLimits: Sendable, Equatable {
    public var maxDepth: Int
    public var maxComplexity: Int

    public init(maxDepth: Int = 10, maxComplexity: Int = 1000) {
        self.maxDepth = maxDepth
        self.maxComplexity = maxComplexity
    }

    /// The validation rule that refuses an operation past these limits.
    public var rule: @Sendable (ValidationContext) -> Visitor {
        let limits = self
        return { context in
            Visitor(enter: { node, _, _, _, _ in
                guard let operation = node as? OperationDefinition else { return .continue }
                var measure = OperationMeasure(limits: limits, context: context)
                measure.walk(operation.selectionSet, depth: 1)
                if let error = measure.error(naming: operation) { context.report(error: error) }
                return .skip
            })
        }
    }
}

/// Walks one operation's selections, fragments spelled out, until it has seen all of them or more
/// than the limits allow (so a fragment spread exponentially often stops costing early).
private struct OperationMeasure {
    let limits: QueryLimits
    let context: ValidationContext
    private(set) var deepest = 0
    private(set) var fields = 0
    /// The fragments being spelled out: a cycle (reported by its own rule) is not followed.
    private var expanding: Set<String> = []

    init(limits: QueryLimits, context: ValidationContext) {
        self.limits = limits
        self.context = context
    }

    private var exceeded: Bool { deepest > limits.maxDepth || fields > limits.maxComplexity }

    /// - Parameter depth: the depth of `selections`' fields; `nil` inside introspection.
    mutating func walk(_ selections: SelectionSet, depth: Int?) {
        for selection in selections.selections where !exceeded {
            switch selection {
            case let field as Field:
                fields += 1
                let counted = field.name.value.hasPrefix("__") ? nil : depth
                if let counted { deepest = max(deepest, counted) }
                if let children = field.selectionSet { walk(children, depth: counted.map { $0 + 1 }) }
            case let fragment as InlineFragment:
                walk(fragment.selectionSet, depth: depth)
            case let spread as FragmentSpread:
                let name = spread.name.value
                guard let fragment = context.getFragment(name: name), !expanding.contains(name) else { continue }
                expanding.insert(name)
                walk(fragment.selectionSet, depth: depth)
                expanding.remove(name)
            default:
                continue
            }
        }
    }

    func error(naming operation: OperationDefinition) -> GraphQLError? {
        let name = operation.name.map { "'\($0.value)'" } ?? "The operation"
        if deepest > limits.maxDepth {
            return GraphQLError(
                message: "\(name) nests fields more than \(limits.maxDepth) deep", nodes: [operation],
                extensions: ["code": "QUERY_TOO_DEEP", "maxDepth": .int(limits.maxDepth)])
        }
        if fields > limits.maxComplexity {
            return GraphQLError(
                message: "\(name) selects more than \(limits.maxComplexity) fields", nodes: [operation],
                extensions: ["code": "QUERY_TOO_COMPLEX", "maxComplexity": .int(limits.maxComplexity)])
        }
        return nil
    }
}
