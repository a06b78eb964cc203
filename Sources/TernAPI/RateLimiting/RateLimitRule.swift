import TernRateLimit

/// A limit on how often an operation may be called, declared on the operation
/// (`@POST("/signup", rateLimits: [.signup])`), on its router group, or for every operation
/// (``RateLimiting/defaultRule``): its name (shown in the `RateLimit-Policy` header), its limits,
/// and what it counts by (the client's address, the user, the email asked about).
///
/// The limits are fixed, or read from the API's context once at start (`\AppServices.settings.loginLimits`),
/// so that settings decide them; a key path into a context the API does not have is refused at install,
/// as a ``ContextDependency`` is.
public struct RateLimitRule: Sendable {
    public let name: String
    public let key: RateLimitKey
    private let source: Source

    private enum Source: Sendable {
        case fixed([RateLimit])
        case context(@Sendable (any Sendable) -> [RateLimit]?, contextTypeName: String)
    }

    public init(_ name: String, _ limits: [RateLimit], by key: RateLimitKey = .clientAddress) {
        self.name = name
        self.key = key
        source = .fixed(limits)
    }

    /// Limits read from the API's context; none (an empty list) turns the rule off.
    public init<Context>(_ name: String, _ limits: any KeyPath<Context, [RateLimit]> & Sendable, by key: RateLimitKey = .clientAddress) {
        self.name = name
        self.key = key
        source = .context({ ($0 as? Context)?[keyPath: limits] }, contextTypeName: String(describing: Context.self))
    }

    /// The limits in this API's context, or ``ContextMismatch`` when the key path reads another type.
    func limits(in context: any Sendable) throws -> [RateLimit] {
        switch source {
        case .fixed(let limits):
            return limits
        case .context(let read, let contextTypeName):
            guard let limits = read(context) else {
                throw ContextMismatch(
                    dependency: "rate limit \"\(name)\"", needed: contextTypeName, provided: String(describing: type(of: context)))
            }
            return limits
        }
    }
}

/// What a rate limit counts by: requests with the same key share the limit.
public struct RateLimitKey: Sendable {
    /// Part of the stored key, so that rules counting by different things never share counts.
    public let kind: String
    let value: @Sendable (RequestScope) async throws -> String?

    /// - Parameters:
    ///   - kind: what is counted (`ip`, `user`), part of the stored key.
    ///   - value: the key for a request; `nil` exempts the request from the rule (a rule per
    ///     user does not count anonymous requests).
    public init(_ kind: String, value: @escaping @Sendable (RequestScope) async throws -> String?) {
        self.kind = kind
        self.value = value
    }

    /// The client's IP address (see ``TrustedProxies``); requests whose address is unknown share one key.
    public static let clientAddress = RateLimitKey("ip") { $0.request.clientAddress ?? "unknown" }
}
