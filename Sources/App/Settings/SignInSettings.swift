import Foundation
import TernSettings

/// `OIDC_*`: the identity providers people may sign in with, besides their password.
public struct SignInSettings: Sendable {
    /// How a provider is spoken to.
    public enum ProviderType: String, Sendable, CaseIterable {
        /// An OpenID Connect issuer, found through its discovery document.
        case oidc
        /// GitHub or GitHub Enterprise Server (OAuth 2.0, no ID token).
        case github
    }

    /// One provider, `OIDC_<NAME>_*`.
    public struct Provider: Sendable {
        /// Its name in URLs (`/login/oidc/<name>`), lowercase.
        public var name: String
        /// `OIDC_<NAME>_TYPE`: `oidc`, or `github` (the default for a provider named `github`).
        public var type: ProviderType
        /// `OIDC_<NAME>_ISSUER`: the issuer (Google's by default for `google`); for GitHub, its web
        /// address (`https://github.com` by default).
        public var issuer: String
        /// `OIDC_<NAME>_CLIENT_ID` and `OIDC_<NAME>_CLIENT_SECRET`: this application at the provider.
        public var clientID: String
        public var clientSecret: String
    }

    /// `OIDC_PROVIDERS`: the providers' names, comma-separated (none by default).
    public var providers: [Provider]
    /// `OIDC_CALLBACK_BASE_URL` (default `http://localhost:<PORT>`): this API's public address, which
    /// providers send the browser back to, at `<base><API_V1_STR>/login/oidc/<name>/callback` (the
    /// redirect URI to register with each provider).
    public var callbackBaseURL: String

    /// The issuers known by name.
    static let wellKnownIssuers = ["google": "https://accounts.google.com", "github": "https://github.com"]

    static func read(_ reader: inout SettingsReader, port: Int) -> SignInSettings {
        var providers: [Provider] = []
        for name in reader.list("OIDC_PROVIDERS").map({ $0.lowercased() }) {
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }), name.allSatisfy(\.isASCII) else {
                reader.report("OIDC_PROVIDERS", "a provider's name is letters, digits, '_' and '-', got '\(name)'")
                continue
            }
            if let provider = provider(named: name, &reader) { providers.append(provider) }
        }
        var base = reader.string("OIDC_CALLBACK_BASE_URL", default: "http://localhost:\(port)")
        if base.hasSuffix("/") { base.removeLast() }
        return SignInSettings(providers: providers, callbackBaseURL: base)
    }

    /// A plain-HTTP address on this machine, as a test's provider has: nothing on it crosses a network.
    private static func isLoopback(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host, url.hasPrefix("http://") else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    private static func provider(named name: String, _ reader: inout SettingsReader) -> Provider? {
        let prefix = "OIDC_\(name.uppercased().replacingOccurrences(of: "-", with: "_"))_"
        let type = reader.choice(prefix + "TYPE", default: name == "github" ? ProviderType.github : .oidc)
        let issuer = reader.optionalString(prefix + "ISSUER") ?? wellKnownIssuers[name]
        let clientID = reader.optionalString(prefix + "CLIENT_ID")
        let clientSecret = reader.optionalString(prefix + "CLIENT_SECRET")
        for (key, value) in [(prefix + "ISSUER", issuer), (prefix + "CLIENT_ID", clientID), (prefix + "CLIENT_SECRET", clientSecret)]
        where value == nil {
            reader.report(key, "is required for the provider '\(name)' named in OIDC_PROVIDERS")
        }
        if let issuer, !issuer.hasPrefix("https://"), !isLoopback(issuer) {
            reader.report(prefix + "ISSUER", "expected an https URL (plain http only on loopback), got '\(issuer)'")
            return nil
        }
        guard let issuer, let clientID, let clientSecret else { return nil }
        return Provider(name: name, type: type, issuer: issuer, clientID: clientID, clientSecret: clientSecret)
    }
}
