import Foundation

/// Where a Sentry project takes events, read from its DSN (`https://PUBLIC_KEY@HOST/PROJECT_ID`):
/// the envelope endpoint and the key that authenticates to it. Sentry-compatible trackers
/// (GlitchTip, Bugsink) use the same form.
public struct SentryDSN: Sendable, Equatable, CustomStringConvertible {
    /// The DSN as given, which the envelope's header repeats.
    public let text: String
    public let publicKey: String
    /// `https://HOST/api/PROJECT_ID/envelope/`
    public let envelopeURL: String

    /// `nil` for text that is not a DSN.
    public init?(_ text: String) {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), let host = url.host,
            let key = url.user, !key.isEmpty
        else { return nil }
        let segments = url.path.split(separator: "/")
        guard let project = segments.last, !project.isEmpty else { return nil }
        let prefix = segments.dropLast().map { "/" + $0 }.joined()
        let port = url.port.map { ":\($0)" } ?? ""
        self.text = text
        self.publicKey = key
        self.envelopeURL = "\(scheme)://\(host)\(port)\(prefix)/api/\(project)/envelope/"
    }

    /// The DSN without its key, for logs.
    public var description: String { envelopeURL }
}
