/// What the dashboard tells after a form: each form answers with a redirect to the page (so that
/// reloading it sends nothing again), whose `notice` query parameter names one of these, with a
/// `count` for some.
///
/// The page shows only these fixed texts, never text from the query, so that a link cannot make the
/// dashboard say anything else.
enum DashboardNotice: String, Sendable, CaseIterable {
    case retried
    case retriedAll = "retried-all"
    case purged
    case jobNotFound = "job-not-found"
    case signedOut = "signed-out"
    case sessionEnded = "session-ended"
    case incorrectCredentials = "incorrect-credentials"
    case inactive
    case notSuperuser = "not-superuser"
    case throttled
    case busy
    case twoFactorRequired = "two-factor-required"
    case invalidTwoFactorCode = "invalid-two-factor-code"
    case emailNotVerified = "email-not-verified"

    /// Whether the notice reports a failure (shown as such).
    var isError: Bool {
        switch self {
        case .retried, .retriedAll, .purged, .signedOut: false
        case .jobNotFound, .sessionEnded, .incorrectCredentials, .inactive, .notSuperuser, .throttled, .busy, .twoFactorRequired,
            .invalidTwoFactorCode, .emailNotVerified:
            true
        }
    }

    /// The text shown; `count` is how many jobs an action changed.
    func message(count: Int?) -> String {
        switch self {
        case .retried: "The job is back in its queue."
        case .retriedAll: "Retried \(Self.jobs(count))."
        case .purged: "Deleted \(Self.jobs(count))."
        case .jobNotFound: "That job is no longer in the dead-letter set: it was retried or purged meanwhile."
        case .signedOut: "Signed out."
        case .sessionEnded: "Your session has ended: sign in again."
        case .incorrectCredentials: "Incorrect email or password."
        case .inactive: "This account is inactive."
        case .notSuperuser: "The jobs dashboard is for superusers only."
        case .throttled: "Too many failed sign-ins for this account: try again later."
        case .busy: "The server is busy: try again in a moment."
        case .twoFactorRequired: "This account has two-factor authentication: enter the code from your authenticator app."
        case .invalidTwoFactorCode: "That two-factor code is not valid."
        case .emailNotVerified: "Verify this account's email first."
        }
    }

    /// The query that shows the notice on the page.
    func query(count: Int? = nil) -> String {
        "notice=\(rawValue)" + (count.map { "&count=\($0)" } ?? "")
    }

    private static func jobs(_ count: Int?) -> String {
        guard let count else { return "the dead jobs" }
        return count == 1 ? "1 dead job" : "\(count) dead jobs"
    }
}
