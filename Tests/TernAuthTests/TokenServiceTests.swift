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

    @Test("access tokens are HS256 JWTs with exactly exp and sub")
    func accessToken() async throws {
        let tokens = await service()
        let token = try await tokens.accessToken(subject: "user-id")
        let parts = segments(token)
        #expect(parts.count == 3)
        #expect(try decode(parts[0])["alg"] as? String == "HS256")
        #expect(Set(try decode(parts[1]).keys) == ["exp", "sub"])
        #expect(try await tokens.verify(token) == "user-id")
    }

    @Test("tokens signed with another key, expired, not yet valid, or malformed are refused")
    func invalid() async throws {
        let tokens = await service()
        let other = try await service("another-secret-key-that-is-long-enough").accessToken(subject: "x")
        let expired = try await tokens.accessToken(subject: "x", now: Date(timeIntervalSinceNow: -3600))
        let future = try await tokens.shortLivedToken(subject: "x", lifetime: .seconds(600), now: Date(timeIntervalSinceNow: 3600))
        for token in [other, expired, future, "", "garbage", "a.b.c"] {
            await #expect(throws: InvalidToken.self) { try await tokens.verify(token) }
        }
    }

    @Test("the algorithm is pinned: an unsigned token is refused before anything else")
    func algorithmPinned() async throws {
        let tokens = await service()
        let valid = segments(try await tokens.accessToken(subject: "x"))
        let noneHeader = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        await #expect(throws: InvalidToken.self) { try await tokens.verify("\(noneHeader).\(valid[1]).") }
        await #expect(throws: InvalidToken.self) { try await tokens.verify("\(noneHeader).\(valid[1]).\(valid[2])") }
    }

    @Test("a header naming another algorithm is refused even when the HS256 signature is right")
    func otherAlgorithmRefused() async throws {
        let secret = "a-secret-key-that-is-long-enough-for-hs256"
        let tokens = await service(secret)
        let payload = segments(try await tokens.accessToken(subject: "x"))[1]
        func signed(header: String) -> String {
            let head = base64URL(Data(header.utf8))
            let mac = HMAC<SHA256>.authenticationCode(for: Data("\(head).\(payload)".utf8), using: TokenService.signingKey(secret))
            return "\(head).\(payload).\(base64URL(Data(mac)))"
        }
        // The same fields in another order: decoded, recognised as HS256, accepted.
        #expect(try await tokens.verify(signed(header: #"{"alg":"HS256","typ":"JWT"}"#)) == "x")
        #expect(try await tokens.verify(signed(header: #"{"typ":"JWT","alg":"HS256"}"#)) == "x")
        await #expect(throws: InvalidToken.self) { try await tokens.verify(signed(header: #"{"alg":"HS512","typ":"JWT"}"#)) }
    }

    private func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    @Test("short secrets still work, stretched to 32 bytes")
    func shortSecret() async throws {
        let tokens = await service("changethis")
        #expect(try await tokens.verify(try await tokens.accessToken(subject: "x")) == "x")
    }

    @Test("password-reset style tokens carry nbf and the subject")
    func shortLived() async throws {
        let tokens = await service()
        let token = try await tokens.shortLivedToken(subject: "a@example.com", lifetime: .seconds(3600))
        #expect(Set(try decode(segments(token)[1]).keys) == ["exp", "nbf", "sub"])
        #expect(try await tokens.verify(token) == "a@example.com")
    }
}
