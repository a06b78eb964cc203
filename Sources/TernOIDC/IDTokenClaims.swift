import Foundation
import JWTKit
import TernAuth

/// The claims of an ID token (OpenID Connect Core §2) that a sign-in checks or uses.
struct IDTokenClaims: JWTPayload {
    let iss: IssuerClaim
    let sub: SubjectClaim
    let aud: AudienceClaim
    let exp: ExpirationClaim
    let iat: IssuedAtClaim
    let nonce: String?
    let azp: String?
    let email: String?
    let emailVerified: BoolClaim?
    let name: String?

    private enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, azp, email, name
        case emailVerified = "email_verified"
    }

    /// Clocks differ: this much either way is tolerated.
    static let leeway: TimeInterval = 60

    /// Called by jwt-kit once the signature checked out; the rest is ``check(issuer:clientID:nonce:now:)``,
    /// which needs to know what to expect.
    func verify(using _: some JWTAlgorithm) throws {}

    /// OpenID Connect Core §3.1.3.7: from the expected issuer, for this client, not expired, not
    /// issued in the future, and carrying this flow's nonce.
    func check(issuer: String, clientID: String, nonce expectedNonce: String, now: Date) throws(SignInError) {
        guard iss.value == issuer else { throw .refused("the ID token's issuer is \(iss.value), not \(issuer)") }
        guard aud.value.contains(clientID) else { throw .refused("the ID token is not meant for this client") }
        // Several audiences: the party it was issued to must be this one.
        if let azp, azp != clientID { throw .refused("the ID token was issued to another party (azp)") }
        guard aud.value.count == 1 || azp != nil else { throw .refused("the ID token has several audiences and no azp") }
        guard exp.value.addingTimeInterval(Self.leeway) > now else { throw .refused("the ID token has expired") }
        guard iat.value.addingTimeInterval(-Self.leeway) <= now else { throw .refused("the ID token was issued in the future") }
        guard let nonce, SecretBytes.equal(nonce, expectedNonce) else {
            throw .refused("the ID token's nonce is not this sign-in's")
        }
    }
}
