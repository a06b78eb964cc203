/// A value a ``Cache`` can hold: written to bytes and read back. The API's schemas get this from
/// their own JSON writer and validator (`extension ItemPublic: CacheValue {}`).
public protocol CacheValue: Sendable {
    func cacheEncoded() -> [UInt8]
    /// `nil` for bytes that are not such a value (an entry written by an older version of the type).
    init?(cacheEncoded bytes: [UInt8])
}
