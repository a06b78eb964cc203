import TernCache

/// A schema kept in a `Cache` (`TernCache`) is written with its own JSON writer and read back through its
/// validator, so a cached value is exactly what the API would answer: `extension ItemPublic: CacheValue {}`.
extension CacheValue where Self: APIValue {
    public func cacheEncoded() -> [UInt8] {
        var writer = JSONWriter()
        writeJSON(to: &writer)
        return writer.bytes
    }

    public init?(cacheEncoded bytes: [UInt8]) {
        guard let json = try? JSONParser.parse(bytes) else { return nil }
        var issues = ValidationIssues()
        guard let value = Self.validate(json, at: [], options: .none, issues: &issues), issues.isEmpty else { return nil }
        self = value
    }
}
