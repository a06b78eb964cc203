import Foundation
import Synchronization

/// Tokens already verified, so that a client sending the same token with every request pays for
/// the signature check and the JSON decoding once: remembered by their exact text with what they
/// say, their times checked again on every use. Bounded: when full, forgotten tokens are simply
/// verified again.
final class VerifiedTokens: Sendable {
    private struct Entry {
        let content: VerifiedToken
        let notBefore: Date?
    }

    private let tokens = Mutex<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// A token verified before and still within its times; `nil` when unknown (or expired: the
    /// full check then says why).
    func content(of token: String, now: Date = Date()) -> VerifiedToken? {
        tokens.withLock { tokens in
            guard let entry = tokens[token], now < entry.content.expires, entry.notBefore.map({ now >= $0 }) ?? true else { return nil }
            return entry.content
        }
    }

    func remember(_ token: String, _ content: VerifiedToken, notBefore: Date?, now: Date = Date()) {
        tokens.withLock { tokens in
            if tokens.count >= capacity {
                tokens = tokens.filter { $0.value.content.expires > now }
                if tokens.count >= capacity { tokens.removeAll(keepingCapacity: true) }
            }
            tokens[token] = Entry(content: content, notBefore: notBefore)
        }
    }
}
