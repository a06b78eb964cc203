/// Who signed in with a provider, as far as the provider vouches for it.
public struct ExternalIdentity: Sendable, Equatable {
    /// The provider's name (``IdentityProvider/name``).
    public var provider: String
    /// The provider's stable id of the account (`sub`): what a link to a user is keyed by, since
    /// an email can change hands.
    public var subject: String
    public var email: String?
    /// Whether the provider checked that the account owns ``email``. Only a verified email may be
    /// matched to an existing user.
    public var emailVerified: Bool
    public var name: String?

    public init(provider: String, subject: String, email: String?, emailVerified: Bool, name: String?) {
        self.provider = provider
        self.subject = subject
        self.email = email
        self.emailVerified = emailVerified
        self.name = name
    }
}
