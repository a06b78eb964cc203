import Foundation
import Logging
import TernAPI
import TernAuth
import TernCache
import TernDatabase
import TernJobs
import TernPrimitives

/// Logging in and recovering passwords.
///
/// It works on the database directly, statement by statement, rather than in the request's unit of
/// work: a login spends tens of milliseconds hashing, and must not hold a transaction (on SQLite,
/// the writer) meanwhile.
struct LoginService: Sendable {
    let database: Database
    let users: UserRepository
    let usedTokens: UsedTokenRepository
    let hasher: PasswordHasher
    let tokens: TokenService
    let sessions: Sessions
    let twoFactor: TwoFactor
    let apiKeys: APIKeys
    let mailer: any Mailer
    let jobs: JobQueue
    let emails: EmailComposer
    let throttle: LoginThrottle
    let cache: Cache
    /// `EMAIL_VERIFICATION_REQUIRED`: an unverified account may not log in.
    let emailVerificationRequired: Bool
    /// Where the refresh token goes (`REFRESH_TOKEN_COOKIE`).
    let refreshCookie: RefreshTokenCookie
    let logger: Logger

    /// Checks the credentials (``authenticate(email:password:)``) and starts a session: an access
    /// and a refresh token.
    ///
    /// `scopes` (the form's `scope`) limits the session's tokens to those named; none asked for,
    /// they may do whatever the user's role allows. Names the application does not know are ignored
    /// (RFC 6749 §3.3 lets a server grant less than asked).
    ///
    /// An account with a second factor also needs its code (`secondFactor`): without it, the answer
    /// says so (``AuthError/twoFactorRequired``), and the client asks for it and sends the form again.
    func login(email: String, password: String, scopes: [String] = [], secondFactor: String? = nil) async throws -> TokenPair {
        let user = try await authenticate(email: email, password: password)
        try checkMaySignIn(user)
        try await checkSecondFactor(of: user, code: secondFactor)
        let limited = scopes.isEmpty ? nil : Scope.known(scopes).map(\.name)
        return try await sessions.start(user: user.id, scopes: limited, on: database)
    }

    /// Whether a user whose credentials are right may sign in: active, and verified where
    /// `EMAIL_VERIFICATION_REQUIRED` says so.
    func checkMaySignIn(_ user: User) throws(UserError) {
        try user.checkMaySignIn(verificationRequired: emailVerificationRequired)
    }

    /// Passes a user without a second factor, or with its right code; a wrong code counts as a failed
    /// login.
    func checkSecondFactor(of user: User, code: String?) async throws {
        guard try await twoFactor.isEnabled(for: user.id, on: database) else { return }
        guard let code, !code.isEmpty else { throw AuthError.twoFactorRequired }
        guard try await twoFactor.verify(code, for: user.id, on: database) else {
            try await throttle.recordFailure(email: user.email, logger: logger)
            throw AuthError.invalidTwoFactorCode
        }
    }

    /// The user whose email and password these are, active or not (HTTP Basic asks too). Emails
    /// match whatever their case. Unknown emails cost the same time as wrong passwords; a correct
    /// password stored with a weaker hash (bcrypt, or lower Argon2 parameters) is re-hashed, unless
    /// it changed meanwhile.
    ///
    /// Throws ``AuthError/incorrectCredentials``; an account whose failed attempts are used up
    /// answers 429 without checking the password.
    func authenticate(email: String, password: String) async throws -> User {
        try await throttle.check(email: email, logger: logger)
        guard let credentials = try await users.credentials(email: email, on: database) else {
            _ = try await hasher.verifyWithoutUser(password)
            try await throttle.recordFailure(email: email, logger: logger)
            throw AuthError.incorrectCredentials
        }
        let user = credentials.user
        switch try await hasher.verify(password, against: credentials.hashedPassword) {
        case .invalid:
            try await throttle.recordFailure(email: email, logger: logger)
            throw AuthError.incorrectCredentials
        case .validNeedsRehash:
            try await users.replacePasswordHash(
                id: user.id, current: credentials.hashedPassword, with: try await hasher.hash(password), on: database)
        case .valid:
            break
        }
        return user
    }

    /// The next pair of a session, for a refresh token used once. A token used before revokes its
    /// session; an inactive or deleted user gets nothing.
    func refresh(token: String) async throws -> TokenPair {
        let refreshed: (user: UUID, pair: TokenPair)
        do {
            refreshed = try await sessions.refresh(token, on: database)
        } catch let refused as RefreshRefused {
            if case .reused(let session, let user) = refused {
                logger.warning(
                    "a used refresh token was presented again: its session is revoked",
                    metadata: ["session": "\(session.lowercasedString)", "user": "\(user.lowercasedString)"])
                await cache.invalidate([CacheKeys.user(user)])
            }
            throw AuthError.invalidRefreshToken
        }
        guard let user = try await users.find(id: refreshed.user, on: database) else { throw AuthError.invalidRefreshToken }
        guard user.isActive else { throw UserError.inactive }
        return refreshed.pair
    }

    /// Ends the session of the request's access token (a legacy token has none: nothing to end).
    func logout(_ current: CurrentUser) async throws {
        guard let session = current.session else { return }
        try await sessions.revoke(session, on: database)
        await cache.invalidate([CacheKeys.user(current.user.id)])
    }

    /// Ends every session of the user, this one included.
    func logoutEverywhere(_ current: CurrentUser) async throws {
        try await sessions.revokeAll(of: current.user.id, on: database)
        await cache.invalidate([CacheKeys.user(current.user.id)])
    }

    /// Enqueues a reset link for the worker to email when the address belongs to a user; says
    /// nothing either way.
    func recoverPassword(email: String) async throws {
        guard let user = try await users.find(email: email, on: database) else { return }
        guard mailer.canSend else {
            logger.warning("password recovery email not sent: this server has no mail transport")
            return
        }
        try await jobs.enqueue(SendPasswordRecoveryEmail(email: user.email))
    }

    /// The recovery email of a user, as a superuser previews it.
    func recoveryEmailPreview(for email: String) async throws -> OutgoingEmail {
        guard let credentials = try await users.credentials(email: email, on: database) else { throw UserError.notFoundByEmail }
        return try await emails.passwordRecovery(to: email, passwordHash: credentials.hashedPassword)
    }

    /// Marks the email a verification token confirms as verified; using the token again changes
    /// nothing. A token for an address the user no longer has confirms nothing.
    func verifyEmail(token: String) async throws {
        guard let verification = try? await tokens.verify(token, as: .emailVerification),
            let id = UUID(canonical: verification.subject),
            let user = try await users.find(id: id, on: database),
            tokens.stamp(verification.stamp, matches: user.email.lowercased())
        else { throw AuthError.invalidVerificationToken }
        guard !user.isVerified else { return }
        _ = try await users.update(id: id, UserRepository.Changes(isVerified: true), on: database)
        await cache.invalidate([CacheKeys.user(id)])
    }

    /// Sets a new password with a reset token, once.
    ///
    /// A token is stamped with the password hash it replaces, so it stops working as soon as the
    /// password changes, by this route or any other. Legacy tokens (the reference template's, which
    /// carry no stamp) are recorded as used instead. The new hash replaces the one read only if it is
    /// still there, so of two uses of one token at once, one wins.
    func resetPassword(token: String, newPassword: String) async throws {
        guard let reset = try? await tokens.verify(token, as: .passwordReset),
            let credentials = try await users.credentials(email: reset.subject, on: database),
            tokens.stamp(reset.stamp, matches: credentials.hashedPassword) || (reset.stamp == nil && reset.isLegacy)
        else { throw AuthError.invalidResetToken }
        guard credentials.user.isActive else { throw UserError.inactive }
        let newHash = try await hasher.hash(newPassword)
        try await database.transaction { transaction in
            if reset.isLegacy, try await !usedTokens.recordUse(of: reset.id, expires: reset.expires, on: transaction) {
                throw AuthError.invalidResetToken
            }
            guard
                try await users.replacePasswordHash(
                    id: credentials.user.id, current: credentials.hashedPassword, with: newHash, on: transaction)
            else { throw AuthError.invalidResetToken }
            // Whoever knew the old password is signed out everywhere, and loses any key they made.
            try await sessions.revokeAll(of: credentials.user.id, on: transaction)
            try await apiKeys.revokeAll(of: credentials.user.id, on: transaction)
        }
        await cache.invalidate([CacheKeys.user(credentials.user.id)])
    }
}
