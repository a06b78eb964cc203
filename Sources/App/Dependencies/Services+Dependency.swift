import TernAPI
import TernAuth
import TernDatabase

// How each service is built for a request, from the application's shared values and the request's
// database session. Tests replace any of them with `DependencyOverrides`.

extension UserService: Dependency {
    static func resolve(in scope: RequestScope) async throws -> UserService {
        UserService(
            session: try await scope.resolve(DatabaseSession.self), users: UserRepository(),
            hasher: try scope.shared(PasswordHasher.self), mailer: try scope.shared((any Mailer).self),
            settings: try scope.shared(Settings.self), logger: scope.logger)
    }

    static var documentedDependencies: [any Dependency.Type] { [DatabaseSession.self] }
}

extension ItemService: Dependency {
    static func resolve(in scope: RequestScope) async throws -> ItemService {
        ItemService(session: try await scope.resolve(DatabaseSession.self), items: ItemRepository())
    }

    static var documentedDependencies: [any Dependency.Type] { [DatabaseSession.self] }
}

extension LoginService: Dependency {
    static func resolve(in scope: RequestScope) async throws -> LoginService {
        LoginService(
            database: try await scope.resolve(Database.self), users: UserRepository(), hasher: try scope.shared(PasswordHasher.self),
            tokens: try scope.shared(TokenService.self), mailer: try scope.shared((any Mailer).self),
            settings: try scope.shared(Settings.self), logger: scope.logger)
    }

    static var documentedDependencies: [any Dependency.Type] { [Database.self] }
}

extension EmailService: Dependency {
    static func resolve(in scope: RequestScope) async throws -> EmailService {
        EmailService(mailer: try scope.shared((any Mailer).self), settings: try scope.shared(Settings.self))
    }
}

extension HealthService: Dependency {
    static func resolve(in scope: RequestScope) async throws -> HealthService {
        HealthService(database: try await scope.resolve(Database.self))
    }
}
