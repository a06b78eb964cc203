/// Why signing in with a provider failed.
public enum SignInError: Error, Sendable, Equatable {
    /// The sign-in is refused: the flow expired or was tampered with, the provider turned the code
    /// down, or its ID token does not check out. The reason is for the logs, not for the client.
    case refused(String)
    /// The provider could not be reached, or answered nonsense (its discovery document, its keys).
    case unavailable(String)
}
