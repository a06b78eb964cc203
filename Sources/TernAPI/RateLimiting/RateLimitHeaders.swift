import Foundation
import HTTPTypes
import TernPrimitives
import TernRateLimit

/// The headers that tell a client its limits: the IETF httpapi draft's `RateLimit-Policy`
/// (`"login";q=5;w=60`) and `RateLimit` (`"login";r=4;t=12`), one item per limit, and the
/// `X-RateLimit-Limit`, `-Remaining` and `-Reset` (a Unix time) of slowapi and GitHub, for the limit
/// closest to refusing.
enum RateLimitHeaders {
    static func fields(for decisions: [(name: String, decision: RateLimitDecision)]) -> HTTPFields {
        var policies: [String] = []
        var states: [String] = []
        var tightest: RateLimitDecision.LimitState?
        for (name, decision) in decisions {
            for (index, state) in decision.states.enumerated() {
                let item = decision.states.count == 1 ? name : "\(name)-\(index + 1)"
                policies.append("\"\(item)\";q=\(state.limit.count);w=\(state.limit.period.components.seconds)")
                states.append("\"\(item)\";r=\(state.remaining);t=\(wholeSeconds(state.resetAfter, least: 0))")
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

extension HTTPField.Name {
    static let rateLimitPolicy = HTTPField.Name("RateLimit-Policy")!
    static let rateLimit = HTTPField.Name("RateLimit")!
    static let xRateLimitLimit = HTTPField.Name("X-RateLimit-Limit")!
    static let xRateLimitRemaining = HTTPField.Name("X-RateLimit-Remaining")!
    static let xRateLimitReset = HTTPField.Name("X-RateLimit-Reset")!
}
