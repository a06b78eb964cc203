import Crypto
import Foundation
import Testing

@testable import TernAuth

@Suite("Tokens", .timeLimit(.minutes(5)))
struct TokenServiceTests {
    private func service(_ secret: String = "a-secret-key-that-is-long-enough-for-hs256") async -> TokenService {
        await TokenService(secret: secret, accessTokenLifetime: .seconds(600))
    }

    private func segments(_ token: String) -> [String] {
        token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    private func decode(_ segment: String) throws -> [String: Any] {
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let data = try #require(Data(base64Encoded: base64))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func legacy(_ claims: [String: Any], secret: String = "a-secret-key-that-is-long-enough-for-hs256") throws -> String {
        let header = base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = base64URL(try JSONSerialization.data(withJSONObject: claims))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(header).\(payload)".utf8), using: TokenService.signingKey(secret))
        return "\(header).\(payload).\(base64URL(Data(mac)))"
    }

    @Test("access tokens are HS256 JWTs with their type, issuer, audience, times, id and session")
    func accessToken() async throws {
        let tokens = await service()
        let token = try await tokens.accessToken(subject: "user-id", session: "session-1")
        let parts = segments(token)
        #expect(parts.count == 3)
        #expect(try decode(parts[0])["alg"] as? String == "HS256")
        let claims = try decode(parts[1])
        #expect(Set(claims.keys) == ["typ", "sub", "iss", "aud", "iat", "nbf", "exp", "jti", "sid"])
        #expect(claims["typ"] as? String == "access")
        let verified = try await tokens.verify(token, as: .access)
        #expect(verified.subject == "user-id")
        #expect(verified.session == "session-1")
        #expect(verified.id == claims["jti"] as? String)
        #expect(!verified.isLegacy)
        let other = try await tokens.accessToken(subject: "user-id", session: "session-1")
        #expect(try await tokens.verify(other, as: .access).id != verified.id, "every token has its own jti")
    }

    @Test("a token of one type is refused where any other is expected", arguments: TokenType.allCases)
    func typesKeptApart(type: TokenType) async throws {
        let tokens = await service()
        let token = try await tokens.issue(type, subject: "a@example.com", lifetime: .seconds(600)).text
        #expect(try await tokens.verify(token, as: type).type == type)
        for other in TokenType.allCases where other != type {
            await #expect(throws: InvalidToken.self, "\(type) accepted as \(other)") { try await tokens.verify(token, as: other) }
        }
    }

    @Test("another issuer or audience, a missing jti or iat, an unknown type: refused")
    func claimsChecked() async throws {
        let tokens = await service()
        let otherIssuer = await TokenService(
            secret: "a-secret-key-that-is-long-enough-for-hs256", issuer: "elsewhere", accessTokenLifetime: .seconds(600))
        let otherAudience = await TokenService(
            secret: "a-secret-key-that-is-long-enough-for-hs256", audience: "elsewhere", accessTokenLifetime: .seconds(600))
        for token in [
            try await otherIssuer.accessToken(subject: "x", session: nil), try await otherAudience.accessToken(subject: "x", session: nil),
        ] {
            await #expect(throws: InvalidToken.self) { try await tokens.verify(token, as: .access) }
        }
        let exp = Int(Date().timeIntervalSince1970) + 600
        let iat = exp - 600
        let complete: [String: Any] = ["typ": "access", "sub": "x", "iss": "tern", "aud": "tern", "iat": iat, "exp": exp, "jti": "j"]
        #expect(try await tokens.verify(try legacy(complete), as: .access).subject == "x", "the control: complete claims pass")
        for missing in ["iss", "aud", "iat", "jti", "sub"] {
            var claims = complete
            claims[missing] = nil
            await #expect(throws: InvalidToken.self, "without \(missing)") { try await tokens.verify(try legacy(claims), as: .access) }
        }
        var unknown = complete
        unknown["typ"] = "id_token"
        await #expect(throws: InvalidToken.self) { try await tokens.verify(try legacy(unknown), as: .access) }
    }

    @Test("the reference template's tokens: a user id without nbf is an access token, an email with nbf a reset token")
    func legacyTokens() async throws {
        let tokens = await service()
        let now = Int(Date().timeIntervalSince1970)
        let access = try legacy(["exp": now + 600, "sub": "0b3c1a52-6c1e-4a7e-9d6e-3f1f1d2a9b10"])
        let verified = try await tokens.verify(access, as: .access)
        #expect(verified.isLegacy)
        #expect(verified.session == nil)
        await #expect(throws: InvalidToken.self) { try await tokens.verify(access, as: .passwordReset) }
        await #expect(throws: InvalidToken.self) { try await tokens.verify(access, as: .refresh) }

        let reset = try legacy(["exp": now + 600, "nbf": now, "sub": "a@example.com"])
        let resetContent = try await tokens.verify(reset, as: .passwordReset)
        #expect(resetContent.isLegacy)
        #expect(resetContent.id.count == 64, "a legacy token's id is the SHA-256 of its text")
        await #expect(throws: InvalidToken.self) { try await tokens.verify(reset, as: .access) }

        // Untyped, but with claims the reference template never writes: not legacy, refused.
        for claims: [String: Any] in [
            ["exp": now + 600, "sub": "x", "jti": "j"], ["exp": now + 600, "sub": "x", "sid": "s"],
            ["exp": now + 600, "nbf": now, "sub": "not-an-email"], ["exp": now - 1, "sub": "x"],
        ] {
            await #expect(throws: InvalidToken.self) { try await tokens.verify(try legacy(claims), as: .access) }
        }
    }

    @Test("tokens signed with another key, expired, not yet valid, or malformed are refused")
    func invalid() async throws {
        let tokens = await service()
        let other = try await service("another-secret-key-that-is-long-enough").accessToken(subject: "x", session: nil)
        let expired = try await tokens.accessToken(subject: "x", session: nil, now: Date(timeIntervalSinceNow: -3600))
        let future = try await tokens.issue(.access, subject: "x", lifetime: .seconds(600), now: Date(timeIntervalSinceNow: 3600)).text
        for token in [other, expired, future, "", "garbage", "a.b.c"] {
            await #expect(throws: InvalidToken.self) { try await tokens.verify(token, as: .access) }
        }
    }

    @Test("stamps differ with the state stamped and with the key, and reveal neither")
    func stamps() async throws {
        let tokens = await service()
        let stamp = tokens.stamp(of: "$argon2id$hash-one")
        #expect(stamp == tokens.stamp(of: "$argon2id$hash-one"))
        #expect(stamp != tokens.stamp(of: "$argon2id$hash-two"))
        #expect(stamp != (await service("another-secret-key-that-is-long-enough")).stamp(of: "$argon2id$hash-one"))
        #expect(!stamp.contains("argon"))
        let token = try await tokens.issue(.passwordReset, subject: "a@example.com", lifetime: .seconds(60), stamp: stamp).text
        #expect(try await tokens.verify(token, as: .passwordReset).stamp == stamp)
    }

    @Test("the algorithm is pinned: an unsigned token is refused before anything else")
    func algorithmPinned() async throws {
        let tokens = await service()
        let valid = segments(try await tokens.accessToken(subject: "x", session: nil))
        let noneHeader = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        await #expect(throws: InvalidToken.self) { try await tokens.verify("\(noneHeader).\(valid[1]).", as: .access) }
        await #expect(throws: InvalidToken.self) { try await tokens.verify("\(noneHeader).\(valid[1]).\(valid[2])", as: .access) }
    }

    @Test("a header naming another algorithm is refused even when the HS256 signature is right")
    func otherAlgorithmRefused() async throws {
        let secret = "a-secret-key-that-is-long-enough-for-hs256"
        let tokens = await service(secret)
        let payload = segments(try await tokens.accessToken(subject: "x", session: nil))[1]
        func signed(header: String) -> String {
            let head = base64URL(Data(header.utf8))
            let mac = HMAC<SHA256>.authenticationCode(for: Data("\(head).\(payload)".utf8), using: TokenService.signingKey(secret))
            return "\(head).\(payload).\(base64URL(Data(mac)))"
        }
        // The same fields in another order: decoded, recognised as HS256, accepted.
        #expect(try await tokens.verify(signed(header: #"{"alg":"HS256","typ":"JWT"}"#), as: .access).subject == "x")
        #expect(try await tokens.verify(signed(header: #"{"typ":"JWT","alg":"HS256"}"#), as: .access).subject == "x")
        await #expect(throws: InvalidToken.self) { try await tokens.verify(signed(header: #"{"alg":"HS512","typ":"JWT"}"#), as: .access) }
    }

    private func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    @Test("keys rotate: the newest signs and names itself in kid, older ones verify what they signed until removed")
    func keyRotation() async throws {
        let old = "the-old-secret-key-long-enough-for-hs256"
        let new = "the-new-secret-key-long-enough-for-hs256"
        let before = await service(old)
        let signedBefore = try await before.accessToken(subject: "user-id", session: nil)
        let stampBefore = before.stamp(of: "password-hash")
        let untyped = try legacy(["sub": "user-id", "exp": Date().timeIntervalSince1970 + 600], secret: old)

        let rotated = await TokenService(secret: new, previousSecrets: [old], accessTokenLifetime: .seconds(600))
        let signedAfter = try await rotated.accessToken(subject: "user-id", session: nil)
        #expect(try decode(segments(signedAfter)[0])["kid"] as? String == rotated.signingKeyID)
        #expect(try decode(segments(signedBefore)[0])["kid"] as? String == before.signingKeyID)
        #expect(rotated.signingKeyID != before.signingKeyID)
        for token in [signedBefore, signedAfter, untyped] {
            #expect(try await rotated.verify(token, as: .access).subject == "user-id")
        }
        // A stamp of the old key still matches; the new key's own stamp is another.
        #expect(rotated.stamp(stampBefore, matches: "password-hash"))
        #expect(rotated.stamp(of: "password-hash") != stampBefore)
        #expect(!rotated.stamp(stampBefore, matches: "another-hash"))

        // The old key removed: what it signed is refused.
        let retired = await service(new)
        await #expect(throws: InvalidToken.self) { try await retired.verify(signedBefore, as: .access) }
        await #expect(throws: InvalidToken.self) { try await retired.verify(untyped, as: .access) }
        #expect(!retired.stamp(stampBefore, matches: "password-hash"))
        #expect(try await retired.verify(signedAfter, as: .access).subject == "user-id")
    }

    @Test("a kid that names no key is refused, even when another key's signature is right")
    func unknownKeyID() async throws {
        let secret = "a-secret-key-that-is-long-enough-for-hs256"
        let tokens = await service(secret)
        let payload = segments(try await tokens.accessToken(subject: "user-id", session: nil))[1]
        let header = base64URL(Data(#"{"alg":"HS256","kid":"0000000000000000","typ":"JWT"}"#.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(header).\(payload)".utf8), using: TokenService.signingKey(secret))
        let forged = "\(header).\(payload).\(base64URL(Data(mac)))"
        await #expect(throws: InvalidToken.self) { try await tokens.verify(forged, as: .access) }
    }

    @Test("short secrets still work, stretched to 32 bytes")
    func shortSecret() async throws {
        let tokens = await service("changethis")
        #expect(try await tokens.verify(try await tokens.accessToken(subject: "x", session: nil), as: .access).subject == "x")
    }
}
