/// How the OpenAPI document writes a value that may be null.
///
/// Both styles describe the same values (JSON Schema 2020-12); they differ in which tools read them.
public enum OpenAPINullStyle: String, Sendable, CaseIterable {
    /// `anyOf: [T, {"type": "null"}]`, as FastAPI writes an optional field: the document served at
    /// `/openapi.json`, the one FastAPI's clients and documentation tools know.
    case anyOf = "any-of"
    /// `T` with `"type": [t, "null"]`: the form swift-openapi-generator understands. Its 1.x releases
    /// skip a property whose `anyOf` holds `{"type": "null"}` (apple/swift-openapi-generator#817),
    /// so a client generated from the FastAPI form would lack every optional field.
    case typeArray = "type-array"
}

extension OpenAPINullStyle {
    /// `document` (written in the `anyOf` style) in this style.
    func rewrite(_ document: JSONValue) -> JSONValue {
        switch self {
        case .anyOf: document
        case .typeArray: Self.typeArrays(document)
        }
    }

    private static let nullSchema: JSONValue = ["type": "null"]

    /// Every `anyOf` with a null branch, at any depth, folded into its other branch.
    private static func typeArrays(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let elements):
            return .array(elements.map(typeArrays))
        case .object(var object):
            let nullableReferences = nullableReferenceProperties(of: object)
            for key in object.keys {
                object[key] = typeArrays(object[key]!)
            }
            object = foldingNullBranch(of: object)
            // A reference cannot carry a null type: a property that may be null is optional instead,
            // which a Swift client decodes from null as well as from an absent key.
            if !nullableReferences.isEmpty, let required = object["required"]?.arrayValue {
                let stillRequired = required.filter { !nullableReferences.contains($0.stringValue ?? "") }
                object["required"] = stillRequired.isEmpty ? nil : .array(stillRequired)
            }
            return .object(object)
        default:
            return value
        }
    }

    /// `anyOf: [T, null]` becomes T, its type also allowing null; with several other branches, only the
    /// null branch goes.
    private static func foldingNullBranch(of schema: JSONObject) -> JSONObject {
        guard let branches = schema["anyOf"]?.arrayValue, branches.contains(nullSchema) else { return schema }
        let others = branches.filter { $0 != nullSchema }
        var folded = schema
        guard others.count == 1, let only = others[0].objectValue else {
            folded["anyOf"] = .array(others)
            return folded
        }
        folded["anyOf"] = nil
        for member in only.members {
            folded[member.key] = member.value
        }
        if let type = folded["type"]?.stringValue {
            folded["type"] = [.string(type), "null"]
        }
        return folded
    }

    /// The properties of an object schema that are a reference or null.
    private static func nullableReferenceProperties(of schema: JSONObject) -> Set<String> {
        guard let properties = schema["properties"]?.objectValue else { return [] }
        return Set(
            properties.members.compactMap { property in
                guard let branches = property.value["anyOf"]?.arrayValue, branches.contains(nullSchema),
                    branches.count == 2, branches.contains(where: { $0["$ref"] != nil })
                else { return nil }
                return property.key
            })
    }
}
