import Foundation
import Logging
import TernAuth
import TernCache
import TernDatabase
import TernOIDC
import TernPrimitives

/// Signing in with an identity provider (`OIDC_PROVIDERS`): the trip to its consent page, and the
/// way back, which finds the user the provider's account belongs to and starts a session.
///
/// Whose account is it: the user it was linked to before; else the user with the email the
/// provider verified, now linked; else a new user with that email. An email the provider did not
/// verify matches no one (anyone can claim an address at some providers).
///
/// Like ``LoginService``, it works on the database statement by statement: the provider's answer
/// takes a network round trip or two, which must not hold a transaction.
struct ExternalSignInService: Sendable {
    let database: Database
    let users: UserRepository
    let identities: ExternalIdentityStore
    let providers: IdentityProviders
    let flows: SignInFlowSealer
    let sessions: Sessions
    let apiKeys: APIKeys
    let twoFactor: TwoFactor
    let hasher: PasswordHasher
    let cache: Cache
    /// Where the provider sends the browser back (`OIDC_CALLBACK_BASE_URL`), under `apiPrefix`.
    let callbackBaseURL: String
    let apiPrefix: String
    /// Where the refresh token goes (`REFRESH_TOKEN_COOKIE`).
    let refreshCookie: RefreshTokenCookie
    /// `EMAIL_VERIFICATION_REQUIRED`: an unverified account may not sign in.
    let emailVerificationRequired: Bool
    let logger: Logger

    /// How long a browser has to come back from the consent page.
    static let flowLifetime: Duration = .seconds(600)

    /// Where to send the browser, and the sealed flow to keep in its cookie until it comes back.
    func begin(provider name: String) async throws -> (location: String, sealedFlow: String) {
        let provider = try provider(named: name)
        let flow = SignInFlow(provider: name, lifetime: Self.flowLifetime)
        let location = try await answer(from: provider) {
            try await provider.authorizationURL(for: flow.authorizationRequest(redirectURI: redirectURI(for: name)))
        }
        return (location, try flows.seal(flow))
    }

    /// Completes the sign-in the browser came back from: checks it is the one this browser started
    /// (`sealedFlow`, from its cookie), redeems the code, and starts a session for the account.
    func complete(provider name: String, callback: SignInCallback, sealedFlow: String?) async throws -> TokenPair {
        let provider = try provider(named: name)
        guard let sealedFlow, let flow = flows.open(sealedFlow) else { throw refused("no sign-in was started in this browser") }
        if let error = callback.error {
            throw refused("the provider answered \(error.prefix(100)): \(callback.errorDescription?.prefix(200) ?? "")", provider: name)
        }
        guard let code = callback.code, let state = callback.state else { throw refused("the callback has no code or no state") }
        let identity = try await answer(from: provider) {
            try await provider.identity(
                for: try flow.callback(provider: name, state: state, code: code, redirectURI: redirectURI(for: name)))
        }
        let user = try await account(for: identity)
        logger.info("signed in with an identity provider", metadata: ["provider": "\(name)", "user": "\(user.id.lowercasedString)"])
        return try await sessions.start(user: user.id, on: database)
    }

    /// The redirect URI registered with the provider.
    func redirectURI(for provider: String) -> String {
        "\(callbackBaseURL)\(apiPrefix)/login/oidc/\(provider)/callback"
    }

    // MARK: Whose account

    /// The user the identity belongs to, linked or made now, once it is clear they may sign in (a
    /// refusal links nothing).
    private func account(for identity: ExternalIdentity) async throws -> User {
        if let id = try await identities.user(linkedTo: identity, on: database) {
            guard let user = try await users.find(id: id, on: database) else { throw refused("the linked user is gone") }
            try await checkMaySignIn(user, on: database)
            return user
        }
        guard let email = identity.email, identity.emailVerified else { throw ExternalSignInError.emailNotVerified }
        guard email.count <= User.maximumTextLength else { throw refused("the provider's email is too long") }
        // A new or claimed account gets a password no one knows: its owner signs in with the
        // provider, or sets one through password recovery. Hashed only when one will be stored,
        // and outside the transaction: it takes a while.
        let existing = try await users.find(email: email, on: database)
        let password = existing?.isVerified == true ? nil : try await unusablePassword()
        do {
            if let user = try await link(identity, email: email, unusablePassword: password) { return user }
        } catch let error as DatabaseError where error.kind == .uniqueViolation {
            // The same email signed up, or the same identity signed in, at the same moment: the
            // second try finds what the first did not.
        }
        let retryPassword = if let password { password } else { try await unusablePassword() }
        guard let user = try await link(identity, email: email, unusablePassword: retryPassword) else {
            throw refused("the account changed while signing in")
        }
        return user
    }

    /// Links the identity to the user with its email, made now if there is none; `nil` when that
    /// needs a password and none was given (the account is new or unverified since the look-up).
    private func link(_ identity: ExternalIdentity, email: String, unusablePassword: String?) async throws -> User? {
        let user = try await database.transaction { transaction -> User? in
            let user: User
            switch (try await users.find(email: email, on: transaction), unusablePassword) {
            case (let existing?, _) where existing.isVerified:
                user = existing
            case (let existing?, let unusablePassword?):
                user = try await claim(existing, with: unusablePassword, in: transaction)
            case (nil, let unusablePassword?):
                let new = User(
                    id: UUID(), email: email, isActive: true, isSuperuser: false,
                    fullName: identity.name.map { String($0.prefix(User.maximumTextLength)) },
                    createdAt: Date(), role: .user, isVerified: true)
                user = try await users.insert(new, hashedPassword: unusablePassword, on: transaction)
            case (_, nil):
                return nil
            }
            try await checkMaySignIn(user, on: transaction)
            guard try await identities.link(identity, to: user.id, on: transaction) == user.id else {
                throw refused("the identity was linked to another user meanwhile")
            }
            return user
        }
        if let user { await cache.invalidate([CacheKeys.user(user.id)]) }
        return user
    }

    private func unusablePassword() async throws -> String {
        try await hasher.hash(Data(SecretBytes.random(32)).base64URLEncoded)
    }

    /// An existing account the provider proved the email of, which had not proved it itself:
    /// whoever signed it up may not own the address (they may have pre-registered it, or changed
    /// their account's email to it, to take over its owner's account later). Everything they could
    /// sign in with stops working: the password, sessions, API keys, second factor and links to
    /// other providers. The email counts as verified from now on.
    private func claim(_ user: User, with unusablePassword: String, in transaction: Transaction) async throws -> User {
        logger.notice(
            "an account whose email was unverified is claimed through an identity provider: its credentials are revoked",
            metadata: ["user": "\(user.id.lowercasedString)"])
        try await users.updatePassword(id: user.id, hashedPassword: unusablePassword, on: transaction)
        try await sessions.revokeAll(of: user.id, on: transaction)
        try await apiKeys.revokeAll(of: user.id, on: transaction)
        try await twoFactor.disable(for: user.id, in: transaction)
        try await identities.unlinkAll(of: user.id, on: transaction)
        return try await users.update(id: user.id, UserRepository.Changes(isVerified: true), on: transaction) ?? user
    }

    /// Active, verified where that is required, and without a second factor (a provider's word
    /// alone does not sign such an account in).
    private func checkMaySignIn(_ user: User, on database: some Queryable) async throws {
        try user.checkMaySignIn(verificationRequired: emailVerificationRequired)
        guard try await !twoFactor.isEnabled(for: user.id, on: database) else { throw ExternalSignInError.twoFactorAccount }
    }

    // MARK: Failures

    private func provider(named name: String) throws(ExternalSignInError) -> any IdentityProvider {
        guard let provider = providers[name] else { throw .unknownProvider }
        return provider
    }

    /// Runs a step that talks to the provider, its failures logged with their reason and answered
    /// without it.
    private func answer<Value>(from provider: any IdentityProvider, _ step: () async throws -> Value) async throws -> Value {
        do {
            return try await step()
        } catch let error as SignInError {
            switch error {
            case .refused(let reason): throw refused(reason, provider: provider.name)
            case .unavailable(let reason):
                logger.error("identity provider unavailable", metadata: ["provider": "\(provider.name)", "reason": "\(reason)"])
                throw ExternalSignInError.providerUnavailable
            }
        }
    }

    private func refused(_ reason: String, provider: String? = nil) -> ExternalSignInError {
        logger.notice("sign-in with an identity provider refused", metadata: ["provider": "\(provider ?? "-")", "reason": "\(reason)"])
        return .refused
    }
}

/// What the provider sent the browser back with (RFC 6749 §4.1.2): a code and the state, or an error.
struct SignInCallback: Sendable {
    var code: String?
    var state: String?
    var error: String?
    var errorDescription: String?
}
