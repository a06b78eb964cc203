/// How long sign-in sessions (refresh-token families) live.
public struct SessionPolicy: Sendable {
    /// From sign-in, whatever happens: the session ends and the user signs in again.
    public var absoluteLifetime: Duration
    /// Without a refresh: a session nobody refreshed for this long ends.
    public var idleLifetime: Duration
    /// How long after a refresh token was used a second use still gets a new pair instead of
    /// revoking the session: for a client whose first answer was lost (RFC 9700 §4.14.2 lets the
    /// server choose; a few seconds covers a retry, not a thief who waits).
    public var reuseGrace: Duration

    public init(absoluteLifetime: Duration, idleLifetime: Duration, reuseGrace: Duration) {
        self.absoluteLifetime = absoluteLifetime
        self.idleLifetime = idleLifetime
        self.reuseGrace = reuseGrace
    }
}
