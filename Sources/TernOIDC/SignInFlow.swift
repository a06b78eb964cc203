import Foundation
import TernAuth
import TernPrimitives

/// The secrets of one sign-in, kept between the trip to the provider's consent page and the trip
/// back: the `state` the callback must echo (so no one else's code is redeemed in this browser,
/// RFC 9700 §4.7), the nonce the ID token must carry, and the PKCE verifier.
///
/// They travel in a cookie sealed by a ``SignInFlowSealer``: the browser can neither read nor alter
/// them, and any process of the application can open them, so the callback may land on another
/// process than the one that started the sign-in.
public struct SignInFlow: Codable, Sendable, Equatable {
    public let provider: String
    public let state: String
    public let nonce: String
    public let codeVerifier: String
    public let expiresAt: Date

    /// A new flow for `provider`, valid for `lifetime`.
    public init(provider: String, lifetime: Duration, now: Date = Date()) {
        self.provider = provider
        state = Data(SecretBytes.random(24)).base64URLEncoded
        nonce = Data(SecretBytes.random(24)).base64URLEncoded
        codeVerifier = PKCE.makeVerifier()
        expiresAt = now.addingTimeInterval(lifetime / .seconds(1))
    }

    /// What to ask the provider's consent page for.
    public func authorizationRequest(redirectURI: String) -> AuthorizationRequest {
        AuthorizationRequest(redirectURI: redirectURI, state: state, nonce: nonce, codeChallenge: PKCE.challenge(for: codeVerifier))
    }

    /// The callback's code with this flow's secrets, if the callback belongs to this flow: the same
    /// provider and `state`, in time.
    public func callback(
        provider: String, state: String, code: String, redirectURI: String, now: Date = Date()
    ) throws(SignInError) -> AuthorizationCallback {
        guard now < expiresAt else { throw .refused("the sign-in took too long") }
        guard provider == self.provider, SecretBytes.equal(state, self.state) else {
            throw .refused("the callback's state is not this browser's sign-in")
        }
        return AuthorizationCallback(code: code, redirectURI: redirectURI, codeVerifier: codeVerifier, nonce: nonce)
    }
}

/// Seals ``SignInFlow``s into cookie values and opens them, under keys derived from the
/// application's secrets (see `SecretBox`).
public struct SignInFlowSealer: Sendable {
    private let box: SecretBox

    public init(secrets: [String]) {
        box = SecretBox(secrets: secrets, purpose: "tern-sign-in-flow")
    }

    public func seal(_ flow: SignInFlow) throws -> String {
        try box.seal(Array(try JSONEncoder().encode(flow)))
    }

    /// The flow sealed in `value`, or `nil` when it is not one this application sealed.
    public func open(_ value: String) -> SignInFlow? {
        box.open(value).flatMap { try? JSONDecoder().decode(SignInFlow.self, from: Data($0)) }
    }
}
