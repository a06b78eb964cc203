import Foundation
import TernJobs

extension JobQueueName {
    /// Emails people wait for (a password reset): taken before other jobs.
    static let emails = JobQueueName("emails", priority: 10)
}

/// Emails the password-recovery link to a user (`POST /password-recovery/{email}`).
struct SendPasswordRecoveryEmail: Job {
    static let name = "email.password-recovery"
    static let queue = JobQueueName.emails
    var email: String
}

/// Welcomes a user a superuser created; enqueued in the transaction that creates the account.
struct SendNewAccountEmail: Job {
    static let name = "email.new-account"
    static let queue = JobQueueName.emails
    var email: String
}

/// Asks a user to confirm their email address: after signing up, after changing it, or on request.
struct SendVerificationEmail: Job {
    static let name = "email.verification"
    static let queue = JobQueueName.emails
    var userId: UUID
}

/// The test email of `POST /utils/test-email/`.
struct SendTestEmail: Job {
    static let name = "email.test"
    static let queue = JobQueueName.emails
    var email: String
}
