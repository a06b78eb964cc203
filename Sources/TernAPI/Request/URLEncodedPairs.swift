import Foundation

/// `application/x-www-form-urlencoded` text (a query string or a form body) as name/value pairs,
/// decoded as Starlette does: `+` is a space, `%XX` escapes are decoded, repeated names are kept.
public struct URLEncodedPairs: Sendable {
    public private(set) var pairs: [(name: String, value: String)] = []

    public init(_ text: Substring) {
        // Walked in place rather than split into arrays of parts: every request's query string comes
        // here, and most have a pair or two.
        var rest = text[...]
        while !rest.isEmpty {
            let end = rest.firstIndex(of: "&") ?? rest.endIndex
            let part = rest[..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            let equals = part.firstIndex(of: "=")
            let name = Self.decode(part[..<(equals ?? part.endIndex)])
            guard !name.isEmpty else { continue }
            pairs.append((name, equals.map { Self.decode(part[part.index(after: $0)...]) } ?? ""))
        }
    }

    /// Adds a pair after the others.
    public mutating func append(name: String, value: String) {
        pairs.append((name, value))
    }

    /// Every value given for `name`, in order.
    public func values(_ name: String) -> [String] {
        // One pass, and no array at all for a name not given (most optional parameters).
        var values: [String] = []
        for pair in pairs where pair.name == name { values.append(pair.value) }
        return values
    }

    private static func decode(_ text: Substring) -> String {
        // Most names and values (`limit=10`) have nothing to decode: no Foundation call, no copies.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(text) }
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
