import Foundation
import Testing

@testable import TernAuth

@Suite("Verified tokens remembered")
struct VerifiedTokensTests {
    @Test("a remembered token is recognised only within its times, and only by its exact text")
    func times() {
        let tokens = VerifiedTokens()
        let now = Date(timeIntervalSince1970: 1_000_000)
        tokens.remember("a.b.c", subject: "user", notBefore: now, expires: now.addingTimeInterval(60), now: now)
        #expect(tokens.subject(of: "a.b.c", now: now.addingTimeInterval(30)) == .some("user"))
        #expect(tokens.subject(of: "a.b.c", now: now.addingTimeInterval(-1)) == nil, "not yet valid")
        #expect(tokens.subject(of: "a.b.c", now: now.addingTimeInterval(60)) == nil, "expired")
        #expect(tokens.subject(of: "a.b.d", now: now) == nil)
    }

    @Test("a full memory is emptied of expired tokens first, then entirely")
    func bounded() {
        let tokens = VerifiedTokens(capacity: 2)
        let now = Date(timeIntervalSince1970: 1_000_000)
        tokens.remember("old", subject: nil, notBefore: nil, expires: now.addingTimeInterval(-1), now: now)
        tokens.remember("live", subject: "a", notBefore: nil, expires: now.addingTimeInterval(60), now: now)
        tokens.remember("new", subject: "b", notBefore: nil, expires: now.addingTimeInterval(60), now: now)
        #expect(tokens.subject(of: "live", now: now) == .some("a"))
        #expect(tokens.subject(of: "new", now: now) == .some("b"))
    }
}
