import Logging
import TernAPI
import TernAPIDatabase
import TernAuth
import TernDatabase
import TernOIDC

// How each service is built for a request: what it needs (declared once, resolved by the request
// scope and documented from the same declaration), then the service from those. Tests replace any
// of them with `DependencyOverrides`, or build `AppServices` with fakes.

extension AppServices: ContextDependency, DatabaseContext, CookieSessionContext {
    /// The application's services: the API's context (``AppAPI``).
    public static func resolve(from context: AppServices, in scope: RequestScope) async throws -> AppServices {
        context
    }
}

extension UserService: Dependency {
    @Input
    struct Needs {
        @Depends var session: DatabaseSession
        @Depends var app: AppServices
    }

    /// Creating users and changing passwords hash them.
    static let errors: [any APIErrorConvertible] = [PasswordHasherBusy(retryAfterSeconds: 1)]

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> UserService {
        UserService(
            session: needs.session, users: UserRepository(), items: ItemRepository(), attachments: AttachmentRepository(),
            attachmentStore: needs.app.attachmentStore, sessions: needs.app.sessions, cache: needs.app.cache,
            hasher: needs.app.passwordHasher, mailer: needs.app.mailer, jobs: needs.app.jobs, logger: scope.logger)
    }
}

extension LoginService: Dependency {
    @Input
    struct Needs {
        @Depends var database: Database
        @Depends var app: AppServices
    }

    /// Logging in and resetting a password hash; an account whose failed logins are used up.
    static let errors: [any APIErrorConvertible] = [PasswordHasherBusy(retryAfterSeconds: 1), TooManyRequests.documented]

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> LoginService {
        LoginService(
            database: needs.database, users: UserRepository(), usedTokens: UsedTokenRepository(), hasher: needs.app.passwordHasher,
            tokens: needs.app.tokens, sessions: needs.app.sessions, twoFactor: needs.app.twoFactor, apiKeys: needs.app.apiKeys,
            mailer: needs.app.mailer, jobs: needs.app.jobs, emails: needs.app.emails, throttle: needs.app.loginThrottle,
            cache: needs.app.cache, emailVerificationRequired: needs.app.settings.email.verificationRequired,
            refreshCookie: needs.app.refreshCookie, logger: scope.logger)
    }
}

extension ExternalSignInService: Dependency {
    @Input
    struct Needs {
        @Depends var database: Database
        @Depends var app: AppServices
    }

    /// A new account's password is hashed.
    static let errors: [any APIErrorConvertible] = [PasswordHasherBusy(retryAfterSeconds: 1)]

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> ExternalSignInService {
        ExternalSignInService(
            database: needs.database, users: UserRepository(), identities: ExternalIdentityStore(), providers: needs.app.identityProviders,
            flows: needs.app.signInFlows, sessions: needs.app.sessions, apiKeys: needs.app.apiKeys, twoFactor: needs.app.twoFactor,
            hasher: needs.app.passwordHasher, cache: needs.app.cache,
            callbackBaseURL: needs.app.settings.signIn.callbackBaseURL, apiPrefix: needs.app.settings.apiPrefix,
            refreshCookie: needs.app.refreshCookie, emailVerificationRequired: needs.app.settings.email.verificationRequired,
            logger: scope.logger)
    }
}

extension PasswordConfirmation: Dependency {
    @Input
    struct Needs {
        @Depends var database: Database
        @Depends var app: AppServices
    }

    /// Checking the password hashes; an account whose failed attempts are used up.
    static let errors: [any APIErrorConvertible] = [
        UserError.incorrectPassword, PasswordHasherBusy(retryAfterSeconds: 1), TooManyRequests.documented,
    ]

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> PasswordConfirmation {
        PasswordConfirmation(
            database: needs.database, users: UserRepository(), hasher: needs.app.passwordHasher, throttle: needs.app.loginThrottle,
            logger: scope.logger)
    }
}

extension APIKeyService: Dependency {
    @Input
    struct Needs {
        @Depends var database: Database
        @Depends var app: AppServices
        @Depends var password: PasswordConfirmation
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> APIKeyService {
        APIKeyService(database: needs.database, keys: needs.app.apiKeys, password: needs.password)
    }
}

extension TwoFactorService: Dependency {
    @Input
    struct Needs {
        @Depends var database: Database
        @Depends var app: AppServices
        @Depends var password: PasswordConfirmation
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> TwoFactorService {
        TwoFactorService(
            database: needs.database, twoFactor: needs.app.twoFactor, throttle: needs.app.loginThrottle, password: needs.password,
            issuer: needs.app.settings.projectName, logger: scope.logger)
    }
}

extension EmailService: Dependency {
    @Input
    struct Needs {
        @Depends var app: AppServices
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> EmailService {
        EmailService(mailer: needs.app.mailer, jobs: needs.app.jobs)
    }
}

extension HealthService: Dependency {
    @Input
    struct Needs {
        @Depends var database: Database
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> HealthService {
        HealthService(database: needs.database)
    }
}
