import TernAPI
import TernDatabase

@Input
struct TestEmailInput {
    @Query(format: .email) var emailTo: String
    @Depends var superuser: CurrentSuperuser
    @Depends var mail: MailerDependency
}

@Input
struct ReadinessInput {
    @Depends var session: DatabaseSession
}

/// Readiness of the service.
@Schema
struct Readiness {
    var status: String
    var database: String
}

/// Utilities: a test email and the health probes (tag `utils`).
@APIRouter(prefix: "/utils", tags: ["utils"])
struct UtilsRouter {
    /// Test emails. Answers 503 while the server has no mail transport (in development, emails are
    /// written to `EMAILS_OUTBOX_DIR`).
    @POST("/test-email/", status: .created, responses: [503: "Email is not configured on this server"])
    func testEmail(_ input: TestEmailInput) async throws -> Message {
        let email = EmailTemplates.test(projectName: input.mail.settings.projectName, email: input.emailTo)
        try await input.mail.mailer.send(Email(to: input.emailTo, subject: email.subject, html: email.html))
        return Message(message: "Test email sent")
    }

    /// Liveness: answers `true` without touching the database.
    @GET("/health-check/")
    func healthCheck() -> Bool {
        true
    }

    /// Readiness: answers 200 when the database answers, 503 when it does not.
    @GET("/readiness-check/", responses: [503: "Database unavailable"])
    func readinessCheck(_ input: ReadinessInput) async throws -> Readiness {
        do {
            _ = try await input.session.query("SELECT 1")
        } catch {
            throw APIError(.serviceUnavailable, "Database unavailable")
        }
        return Readiness(status: "ready", database: "ok")
    }
}
