import Foundation

/// `application/x-www-form-urlencoded` text (a query string or a form body) as name/value pairs,
/// decoded as Starlette does: `+` is a space, `%XX` escapes are decoded, repeated names are kept.
public struct URLEncodedPairs: Sendable {
    public private(set) var pairs: [(name: String, value: String)] = []

    public init(_ text: Substring) {
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(pieces[0])
            guard !name.isEmpty else { continue }
            pairs.append((name, pieces.count > 1 ? Self.decode(pieces[1]) : ""))
        }
    }

    /// Adds a pair after the others.
    public mutating func append(name: String, value: String) {
        pairs.append((name, value))
    }

    /// Every value given for `name`, in order.
    public func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    private static func decode(_ text: Substring) -> String {
        // Most names and values (`limit=10`) have nothing to decode: no Foundation call, no copies.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(text) }
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
