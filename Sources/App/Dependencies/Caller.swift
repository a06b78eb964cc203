import Foundation
import TernAPI
import TernAPIDatabase
import TernAuth
import TernDatabase

/// Who a request acts for, on the routes that take more than a bearer token: an access token (as
/// ``CurrentUser``), an API key in `X-API-Key`, or HTTP Basic credentials (an email and password,
/// for `curl -u`). The scopes it grants are the credential's, as far as the user's role has them.
///
/// Fails as ``CurrentUser`` does for a token, and without any credential (401 `Not authenticated`);
/// an invalid key or wrong Basic credentials answer 401 with their own challenge.
struct Caller: Dependency {
    let user: User
    let scopes: [Scope]

    @Input
    struct Needs {
        @Depends var app: AppServices
        // Read outside the request's unit of work, as CurrentUser reads it.
        @Depends var database: Database
        @Depends var readAhead: ReadAhead
        @Depends var login: LoginService
    }

    static var securityRequirements: [SecurityRequirement] {
        [OAuth2PasswordBearer.securityRequirement, APIKeyHeader.securityRequirement, HTTPBasicCredentials.securityRequirement]
    }

    static let errors: [any APIErrorConvertible] =
        [
            OAuth2PasswordBearer.notAuthenticated, AuthError.invalidAPIKey, AuthError.incorrectBasicCredentials,
            HTTPBasicCredentials.invalid(realm: AuthError.basicRealm), UserError.emailNotVerified,
            AuthError.basicWithTwoFactor,
        ] + CurrentUser.errors

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> Caller {
        let (caller, challenge) = try await identify(scope.request, needs)
        scope.grant(Set(caller.scopes.map(\.name)), challenge: challenge)
        return caller
    }

    /// Whether the request was granted `scope`.
    func may(_ scope: Scope) -> Bool {
        scopes.contains(scope)
    }

    /// The caller, and the scheme that identified them.
    private static func identify(_ request: IncomingRequest, _ needs: Needs) async throws -> (Caller, String) {
        if let key = APIKeyHeader.key(in: request) {
            return (try await bearing(key: key, needs), "APIKey")
        }
        if let credentials = try HTTPBasicCredentials.credentials(in: request, realm: AuthError.basicRealm) {
            return (try await bearing(credentials, needs), "Basic")
        }
        guard let token = OAuth2PasswordBearer.token(in: request) else { throw OAuth2PasswordBearer.notAuthenticated }
        let current = try await CurrentUser.bearing(token, app: needs.app, database: needs.database, readAhead: needs.readAhead)
        return (Caller(user: current.user, scopes: current.scopes), "Bearer")
    }

    private static func bearing(key text: String, _ needs: Needs) async throws -> Caller {
        guard let key = try await needs.app.apiKeys.authenticate(text, on: needs.database) else { throw AuthError.invalidAPIKey }
        let account = try await CurrentUser.account(key.userId, app: needs.app, database: needs.database, readAhead: needs.readAhead)
        guard let account else {
            throw AuthError.invalidAPIKey
        }
        let user = User(account.user)
        guard user.isActive else { throw UserError.inactive }
        return Caller(user: user, scopes: user.grantedScopes(limitedTo: key.scopes))
    }

    private static func bearing(_ credentials: HTTPBasicCredentials, _ needs: Needs) async throws -> Caller {
        let user: User
        do {
            user = try await needs.login.authenticate(email: credentials.username, password: credentials.password)
        } catch AuthError.incorrectCredentials {
            throw AuthError.incorrectBasicCredentials
        }
        try needs.login.checkMaySignIn(user)
        // A code per request would spend a time step each: one request every 30 seconds.
        guard try await !needs.app.twoFactor.isEnabled(for: user.id, on: needs.database) else { throw AuthError.basicWithTwoFactor }
        return Caller(user: user, scopes: user.grantedScopes)
    }
}
