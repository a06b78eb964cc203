import TernPrimitives

/// The generic cell rate algorithm, the arithmetic every rate limiter here shares (the in-process one
/// and the Redis script): each key keeps one number, its theoretical arrival time (TAT), in
/// microseconds on the limiter's clock.
///
/// For `N` per `P`, each event moves the TAT `T = P/N` later; an event is admitted while the new TAT
/// is at most `P` ahead of now. So `N` pass at once, then one every `T`.
public enum GCRA {
    /// What one limit says of one event.
    public struct Outcome: Sendable, Equatable {
        public let admitted: Bool
        /// Events that would still pass right now, after this one.
        public let remaining: Int
        /// Until the limit is fully available again.
        public let resetAfter: Duration
        /// Until this event would pass (zero when admitted).
        public let retryAfter: Duration
        /// The TAT to store if the event goes ahead.
        public let newTAT: Int64
    }

    /// The outcome of one event under `limit`, the key's stored TAT (if any) and the time now.
    public static func outcome(of limit: RateLimit, storedTAT: Int64?, now: Int64) -> Outcome {
        let interval = limit.emissionInterval.wholeMicroseconds
        let tat = max(storedTAT ?? now, now)
        let newTAT = tat + interval
        let allowedAt = newTAT - limit.period.wholeMicroseconds
        guard now >= allowedAt else { return standing(of: limit, tat: tat, now: now, retryAfter: allowedAt - now) }
        return Outcome(
            admitted: true, remaining: Int((now - allowedAt) / interval), resetAfter: .microseconds(newTAT - now), retryAfter: .zero,
            newTAT: newTAT)
    }

    /// The outcomes of one event under several limits, all or nothing: the event goes ahead only if
    /// every limit admits it, and a refused event uses up none of them.
    public static func outcomes(of limits: [RateLimit], storedTATs: [Int64?], now: Int64) -> [Outcome] {
        let outcomes = zip(limits, storedTATs).map { outcome(of: $0, storedTAT: $1, now: now) }
        guard outcomes.contains(where: { !$0.admitted }) else { return outcomes }
        // Refused: each limit as it stands, without this event.
        return zip(zip(limits, storedTATs), outcomes).map { pair, outcome in
            outcome.admitted ? standing(of: pair.0, tat: max(pair.1 ?? now, now), now: now, retryAfter: 0) : outcome
        }
    }

    /// A limit at `tat`, the event refused: what still passes now, and when.
    private static func standing(of limit: RateLimit, tat: Int64, now: Int64, retryAfter: Int64) -> Outcome {
        let remaining = max(0, Int((now - (tat - limit.period.wholeMicroseconds)) / limit.emissionInterval.wholeMicroseconds))
        return Outcome(
            admitted: false, remaining: retryAfter > 0 ? 0 : remaining, resetAfter: .microseconds(tat - now),
            retryAfter: .microseconds(retryAfter), newTAT: tat)
    }

    /// Where a key's TAT under one limit is kept: a key limited in several ways keeps one TAT each.
    package static func storageKey(_ key: String, _ limit: RateLimit) -> String {
        key + limit.storageSuffix
    }

    /// Every limit of every count, in order, with where its TAT is kept.
    package static func flattened(_ counts: [RateLimitCount]) -> [(storageKey: String, limit: RateLimit)] {
        counts.flatMap { count in count.limits.map { (storageKey(count.key, $0), $0) } }
    }
}
