import Foundation
import Logging
import TernAuth
import TernJobs
import TernMail

/// The app's jobs and their handlers: what `worker run` (and `api serve --worker`) can run.
enum AppJobs {
    static func registry(services: AppServices) -> JobRegistry<AppServices> {
        var registry = JobRegistry(services: services)
        registry.register(SendPasswordRecoveryEmail.self) { job, context in
            // The token is bound to the password as it is when the email is written.
            guard let credentials = try await UserRepository().credentials(email: job.email, on: context.services.database) else {
                return context.logger.info("password recovery email not sent: the account no longer exists")
            }
            let email = try await context.services.emails.passwordRecovery(to: job.email, passwordHash: credentials.hashedPassword)
            try await send(email, context)
        }
        registry.register(SendVerificationEmail.self) { job, context in
            // The token confirms the address as it is when the email is written.
            guard let user = try await UserRepository().find(id: job.userId, on: context.services.database), !user.isVerified else {
                return context.logger.info("verification email not sent: the account is gone or verified already")
            }
            try await send(try await context.services.emails.emailVerification(to: user), context)
        }
        registry.register(SendNewAccountEmail.self) { job, context in
            try await send(context.services.emails.newAccount(to: job.email), context)
        }
        registry.register(SendTestEmail.self) { job, context in
            try await send(context.services.emails.test(to: job.email), context)
        }
        registry.register(PruneEndedSessions.self) { _, context in
            let deleted = try await context.services.sessions.deleteEnded(
                before: Date().addingTimeInterval(-86_400), on: context.services.database)
            context.logger.info("ended sessions deleted", metadata: ["sessions": "\(deleted)"])
        }
        // Every process registers the same schedule; each tick runs once whatever the workers. A
        // literal: a typo in it fails every test that runs a worker.
        try! registry.schedule(PruneEndedSessions(), cron: "17 3 * * *")
        return registry
    }

    /// Sends over the configured mailer. What no retry can change (the server refused the
    /// recipient for good, with a 5xx reply; a message that cannot be written) dead-letters the job
    /// at once; anything else (server down, a 4xx reply, TLS or credentials an operator may fix, no
    /// transport in this worker) is retried with backoff, then dead-lettered: never lost.
    private static func send(_ email: OutgoingEmail, _ context: JobContext<AppServices>) async throws {
        do {
            try await context.services.mailer.send(email)
            context.logger.info("email sent", metadata: ["subject": "\(email.subject)"])
        } catch let error as MailError where error.kind == .invalidMessage || (error.kind == .rejected && !error.isTransient) {
            throw JobFailure.permanent("\(error)")
        }
    }
}
