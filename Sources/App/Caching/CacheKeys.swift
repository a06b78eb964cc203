import Foundation
import TernPrimitives

/// The cache's keys, one place for each kind of entry, so that what is read and what is invalidated
/// never drift apart.
enum CacheKeys {
    /// The user an access token names, read by every authenticated request (``CurrentUser``).
    static func user(_ id: UUID) -> String { "user:\(id.lowercasedString)" }
    /// An item, as ``ItemService/read(id:)`` finds it.
    static func item(_ id: UUID) -> String { "item:\(id.lowercasedString)" }
}
