import Foundation
import Synchronization

/// Tokens already verified, so that a client sending the same token with every request pays for
/// the signature check and the JSON decoding once: remembered by their exact text with their claims'
/// times, which are checked again on every use. Bounded: when full, forgotten tokens are simply
/// verified again.
final class VerifiedTokens: Sendable {
    private struct Claims {
        let subject: String?
        let notBefore: Date?
        let expires: Date
    }

    private let tokens = Mutex<[String: Claims]>([:])
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The subject of a token verified before and still within its times; `nil` when unknown (or
    /// expired: the full check then says why).
    func subject(of token: String, now: Date = Date()) -> String?? {
        tokens.withLock { tokens in
            guard let claims = tokens[token], now < claims.expires, claims.notBefore.map({ now >= $0 }) ?? true else { return nil }
            return .some(claims.subject)
        }
    }

    func remember(_ token: String, subject: String?, notBefore: Date?, expires: Date, now: Date = Date()) {
        tokens.withLock { tokens in
            if tokens.count >= capacity {
                tokens = tokens.filter { $0.value.expires > now }
                if tokens.count >= capacity { tokens.removeAll(keepingCapacity: true) }
            }
            tokens[token] = Claims(subject: subject, notBefore: notBefore, expires: expires)
        }
    }
}
