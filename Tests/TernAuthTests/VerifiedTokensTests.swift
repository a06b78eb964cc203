import Foundation
import Testing

@testable import TernAuth

@Suite("Verified tokens remembered")
struct VerifiedTokensTests {
    private func content(_ subject: String, expires: Date) -> VerifiedToken {
        VerifiedToken(
            type: .access, subject: subject, id: subject, session: nil, issuedAt: nil, expires: expires, stamp: nil, scopes: nil,
            isLegacy: false)
    }

    @Test("a remembered token is recognised only within its times, and only by its exact text")
    func times() {
        let tokens = VerifiedTokens()
        let now = Date(timeIntervalSince1970: 1_000_000)
        tokens.remember("a.b.c", content("user", expires: now.addingTimeInterval(60)), notBefore: now, now: now)
        #expect(tokens.content(of: "a.b.c", now: now.addingTimeInterval(30))?.subject == "user")
        #expect(tokens.content(of: "a.b.c", now: now.addingTimeInterval(-1)) == nil, "not yet valid")
        #expect(tokens.content(of: "a.b.c", now: now.addingTimeInterval(60)) == nil, "expired")
        #expect(tokens.content(of: "a.b.d", now: now) == nil)
    }

    @Test("a full memory is emptied of expired tokens first, then entirely")
    func bounded() {
        let tokens = VerifiedTokens(capacity: 2)
        let now = Date(timeIntervalSince1970: 1_000_000)
        tokens.remember("old", content("old", expires: now.addingTimeInterval(-1)), notBefore: nil, now: now)
        tokens.remember("live", content("a", expires: now.addingTimeInterval(60)), notBefore: nil, now: now)
        tokens.remember("new", content("b", expires: now.addingTimeInterval(60)), notBefore: nil, now: now)
        #expect(tokens.content(of: "live", now: now)?.subject == "a")
        #expect(tokens.content(of: "new", now: now)?.subject == "b")
    }
}
