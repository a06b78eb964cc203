import TernAuth
import TernSettings

/// `REFRESH_TOKEN_*`: how long sign-in sessions and their refresh tokens live.
public struct SessionSettings: Sendable {
    /// `REFRESH_TOKEN_EXPIRE_MINUTES`: a session's absolute lifetime from sign-in.
    public var absoluteLifetime: Duration
    /// `REFRESH_TOKEN_IDLE_MINUTES`: a session not refreshed for this long ends.
    public var idleLifetime: Duration
    /// `REFRESH_TOKEN_REUSE_GRACE_SECONDS`: a used refresh token presented again within
    /// this time gets a new pair (its first answer may have been lost); later, it revokes its session.
    public var reuseGrace: Duration
    /// `REFRESH_TOKEN_COOKIE`: the refresh token travels in an HttpOnly, Secure,
    /// SameSite=Strict cookie, out of reach of the page's scripts, instead of in the JSON body.
    public var inCookie: Bool

    /// The policy the auth building block applies.
    public var policy: SessionPolicy {
        SessionPolicy(absoluteLifetime: absoluteLifetime, idleLifetime: idleLifetime, reuseGrace: reuseGrace)
    }

    static func read(_ reader: inout SettingsReader) -> SessionSettings {
        SessionSettings(
            absoluteLifetime: .seconds(60 * reader.integer("REFRESH_TOKEN_EXPIRE_MINUTES", default: 60 * 24 * 30, in: 1...(60 * 24 * 365))),
            idleLifetime: .seconds(60 * reader.integer("REFRESH_TOKEN_IDLE_MINUTES", default: 60 * 24 * 7, in: 1...(60 * 24 * 365))),
            reuseGrace: reader.seconds("REFRESH_TOKEN_REUSE_GRACE_SECONDS", default: .seconds(10), in: 0...300),
            inCookie: reader.boolean("REFRESH_TOKEN_COOKIE", default: false))
    }
}
