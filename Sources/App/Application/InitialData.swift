import Foundation
import Logging
import TernAuth
import TernDatabase

/// Data the service needs to be usable: the first superuser, created from settings when missing (as
/// the reference template's `init_db` does). An existing account is left as it is.
enum InitialData {
    static func createFirstSuperuser(services: AppServices, logger: Logger) async throws {
        let settings = services.settings
        let users = UserRepository()
        guard try await users.find(email: settings.firstSuperuser, on: services.database) == nil else { return }
        let user = User(
            id: UUID(), email: settings.firstSuperuser, isActive: true, isSuperuser: true, fullName: nil, createdAt: Date(),
            isVerified: true)
        let hashedPassword = try await services.passwordHasher.hash(settings.firstSuperuserPassword)
        do {
            _ = try await users.insert(user, hashedPassword: hashedPassword, on: services.database)
            logger.info("created the first superuser", metadata: ["email": "\(settings.firstSuperuser)"])
        } catch let error as DatabaseError where error.kind == .uniqueViolation {
            // Another instance created it at the same moment.
        }
    }
}
