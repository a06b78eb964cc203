import TernAPI

/// What an authenticator app needs to add the account.
@Schema
struct TOTPEnrollment {
    /// The shared secret in base32, to type in.
    var secret: String
    /// The same as an `otpauth://` URI, to show as a QR code.
    var otpauthUri: String
}

/// The user's password, asked again.
@Schema
struct PasswordCheck {
    @Field(minLength: 1, maxLength: 128, format: .password) var currentPassword: String
}

/// A code from the authenticator app (or a recovery code).
@Schema
struct TOTPCode {
    @Field(minLength: 6, maxLength: 16) var code: String
}

/// One-time codes for signing in without the app. Shown this once: keep them somewhere safe.
@Schema
struct RecoveryCodes {
    var recoveryCodes: [String]
}
