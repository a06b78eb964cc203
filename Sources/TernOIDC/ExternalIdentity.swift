/// Who signed in with a provider, as far as the provider vouches for it.
public struct ExternalIdentity: Sendable, Equatable {
    /// The provider's name (``IdentityProvider/name``).
    public var provider: String
    /// Who vouches for it: the issuer (`iss`), or GitHub's address. With ``subject``, what a link
    /// to a user is keyed by: a subject is unique only within its issuer (OpenID Connect Core §2),
    /// and a provider's name in the settings may come to mean another issuer.
    public var issuer: String
    /// The provider's stable id of the account (`sub`): links go by it, not by the email, which can
    /// change hands.
    public var subject: String
    public var email: String?
    /// Whether the provider checked that the account owns ``email``. Only a verified email may be
    /// matched to an existing user.
    public var emailVerified: Bool
    public var name: String?

    public init(provider: String, issuer: String, subject: String, email: String?, emailVerified: Bool, name: String?) {
        self.provider = provider
        self.issuer = issuer
        self.subject = subject
        self.email = email
        self.emailVerified = emailVerified
        self.name = name
    }
}
