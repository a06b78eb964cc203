import Foundation

/// What signing in and refreshing return: an access token and the refresh token that replaces it,
/// both in one session.
public struct TokenPair: Sendable {
    public let accessToken: String
    public let refreshToken: String
    /// When the refresh token (and with it the session) ends at the latest.
    public let refreshExpires: Date
    public let session: UUID
}
