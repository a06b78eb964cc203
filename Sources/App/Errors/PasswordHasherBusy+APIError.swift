import TernAPI
import TernAuth

// The bridge from the auth building block's one client-facing error to HTTP (the building block
// knows nothing of HTTP): a flood of logins gets 503 with `Retry-After`, never a wrong-password answer.
extension PasswordHasherBusy: APIErrorConvertible {
    public var apiError: APIError {
        APIError(.serviceUnavailable, headers: [.retryAfter: "\(retryAfterSeconds)"])
    }
}
