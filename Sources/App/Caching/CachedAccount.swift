import Foundation
import TernAPI
import TernCache

/// What every authenticated request needs of its user, cached as one entry: the user, and the
/// sessions whose access tokens are accepted (so that a revoked session's tokens fail at no extra
/// round trip). Any change to either invalidates the entry.
@Schema
struct CachedAccount {
    var user: UserPublic
    var sessions: [UUID]
}

extension CachedAccount: CacheValue {}
