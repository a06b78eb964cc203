import Foundation
import HTTPTypes
import TernPrimitives
import TernRateLimit

/// The headers that tell a client its limits: the IETF httpapi draft's `RateLimit-Policy`
/// (`"login";q=5;w=60`) and `RateLimit` (`"login";r=4;t=12`), one item per limit, and the
/// `X-RateLimit-Limit`, `-Remaining` and `-Reset` (a Unix time) of slowapi and GitHub, for the limit
/// closest to refusing.
enum RateLimitHeaders {
    /// What a rule's limits are called in the headers, worked out once (requests only add figures).
    struct Policy: Sendable {
        /// One per limit: the rule's name, numbered when it has several (`"login-1"`, `"login-2"`).
        let itemNames: [String]
        /// The rule's part of `RateLimit-Policy`.
        let field: String

        init(name: String, limits: [RateLimit]) {
            itemNames = limits.indices.map { limits.count == 1 ? name : "\(name)-\($0 + 1)" }
            field = zip(itemNames, limits).map { "\"\($0)\";q=\($1.count);w=\($1.period.components.seconds)" }.joined(separator: ", ")
        }
    }

    static func fields(for decisions: [(policy: Policy, decision: RateLimitDecision)]) -> HTTPFields {
        var policies: [String] = []
        var states: [String] = []
        var tightest: RateLimitDecision.LimitState?
        for (policy, decision) in decisions {
            policies.append(policy.field)
            for (name, state) in zip(policy.itemNames, decision.states) {
                states.append("\"" + name + "\";r=" + String(state.remaining) + ";t=" + String(wholeSeconds(state.resetAfter, least: 0)))
                if tightest.map({ state.remaining < $0.remaining || (state.remaining == $0.remaining && state.resetAfter > $0.resetAfter) })
                    ?? true
                {
                    tightest = state
                }
            }
        }
        guard let tightest else { return [:] }
        let reset = Int((Date().timeIntervalSince1970 + Double(tightest.resetAfter.wholeMicroseconds) / 1e6).rounded(.up))
        return [
            .rateLimitPolicy: policies.joined(separator: ", "), .rateLimit: states.joined(separator: ", "),
            .xRateLimitLimit: String(tightest.limit.count), .xRateLimitRemaining: String(tightest.remaining),
            .xRateLimitReset: String(reset),
        ]
    }

    /// A duration in whole seconds, rounded up: waiting that long is always enough.
    static func wholeSeconds(_ duration: Duration, least: Int = 1) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(least, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }

    static let documentedFields: HTTPFields = [
        .rateLimitPolicy: "", .rateLimit: "", .xRateLimitLimit: "", .xRateLimitRemaining: "", .xRateLimitReset: "",
    ]
}
