import TernAPI

/// A bearer token, as the OAuth2 password flow returns it.
@Schema
struct Token {
    var accessToken: String
    var tokenType: String = "bearer"
}

/// A new password, with the reset token that allows setting it.
@Schema
struct NewPassword {
    var token: String
    @Field(minLength: 8, maxLength: 128) var newPassword: String
}

/// A confirmation.
@Schema
struct Message {
    var message: String
}
