import TernAPI

@Input
struct TestEmailInput {
    @Query(format: .email) var emailTo: String
    @Depends var superuser: CurrentSuperuser
    @Depends var emails: EmailService
}

@Input
struct ReadinessInput {
    @Depends var health: HealthService
}

/// Utilities: a test email and the health probes (tag `utils`).
@APIRouter(prefix: "/utils", tags: ["utils"])
struct UtilsRouter {
    /// Test emails. Answers 503 while the server has no mail transport (in development, emails are
    /// written to `EMAILS_OUTBOX_DIR`).
    @POST("/test-email/", status: .created, errors: [EmailError.notConfigured])
    func testEmail(_ input: TestEmailInput) async throws -> Message {
        try await input.emails.sendTestEmail(to: input.emailTo)
        return Message(message: "Test email sent")
    }

    /// Liveness: answers `true` without touching the database.
    @GET("/health-check/")
    func healthCheck() -> Bool {
        true
    }

    /// Readiness: answers 200 when the database answers, 503 when it does not.
    @GET("/readiness-check/", errors: [HealthError.databaseUnavailable])
    func readinessCheck(_ input: ReadinessInput) async throws -> Readiness {
        try await input.health.readiness()
    }
}
