/// The application-wide values dependencies are built from (settings, the database, the password
/// hasher), handed over once when the application is assembled.
public struct SharedValues: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    /// Stores a value, replacing any of the same type. Name the type to store a value under a
    /// protocol (`set(mailer, as: (any Mailer).self)`), which it would otherwise not be found by.
    public mutating func set<T: Sendable>(_ value: T, as type: T.Type = T.self) {
        values[ObjectIdentifier(type)] = value
    }

    /// The value of a type, if one was stored.
    public func get<T: Sendable>(_ type: T.Type = T.self) -> T? {
        values[ObjectIdentifier(type)] as? T
    }
}
