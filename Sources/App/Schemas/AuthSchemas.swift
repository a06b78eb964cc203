import TernAPI
import TernAuth

/// A bearer token, as the OAuth2 password flow returns it, with the refresh token that obtains the
/// next one (`POST /login/refresh`).
@Schema
struct Token {
    var accessToken: String
    var tokenType: String = "bearer"
    var refreshToken: String?
}

extension Token {
    init(_ pair: TokenPair) {
        self.init(accessToken: pair.accessToken, refreshToken: pair.refreshToken)
    }
}

/// A refresh token to exchange for a new pair.
@Schema
struct RefreshTokenRequest {
    var refreshToken: String
}

/// A new password, with the reset token that allows setting it.
@Schema
struct NewPassword {
    var token: String
    @Field(minLength: 8, maxLength: 128) var newPassword: String
}

/// The token of an email-verification link.
@Schema
struct EmailVerification {
    var token: String
}

/// A confirmation.
@Schema
struct Message {
    var message: String
}
