/// The application-wide values dependencies are built from (settings, the database, the password
/// hasher), handed over once when the application is assembled.
public struct SharedValues: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    /// Stores a value, replacing any of the same type.
    public mutating func set<T: Sendable>(_ value: T) {
        values[ObjectIdentifier(T.self)] = value
    }

    /// Stores a value under an explicit type, such as a protocol (`any Mailer`), since a generic
    /// argument would otherwise take the value's concrete type.
    public mutating func set<T: Sendable>(_ value: T, as type: T.Type) {
        values[ObjectIdentifier(type)] = value
    }

    /// The value of a type, if one was stored.
    public func get<T: Sendable>(_ type: T.Type = T.self) -> T? {
        values[ObjectIdentifier(type)] as? T
    }
}
