import Foundation

/// Where the database is: a `DATABASE_URL`, checked when it is created.
///
/// - `sqlite:///absolute/path/app.sqlite` or `sqlite://relative/path/app.sqlite` (relative to the
///   working directory) selects a SQLite file, created with its folder on first use;
/// - `postgres://user:password@host:port/database?sslmode=...` (or `postgresql://`) selects PostgreSQL;
///   every libpq URL parameter is accepted.
///
/// The password never appears in ``description``; use ``redacted`` wherever a URL is shown or logged.
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    /// The kind of database and where it is.
    public enum Location: Sendable, Hashable {
        case postgres(url: String)
        case sqlite(path: String)
    }

    /// A `DATABASE_URL` that cannot be used, with the reason.
    public struct InvalidURL: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public let location: Location
    /// The URL as given, password included: pass it on, never print it.
    public let string: String

    /// Parses and checks a URL without connecting.
    public init(_ string: String) throws(InvalidURL) {
        self.string = string
        if string.hasPrefix("sqlite://") {
            let path = String(string.dropFirst("sqlite://".count))
            guard !path.isEmpty, path != "/" else {
                throw InvalidURL(reason: "a sqlite:// URL needs a file path, as in sqlite://data/app.sqlite")
            }
            location = .sqlite(path: path)
        } else if string.hasPrefix("postgres://") || string.hasPrefix("postgresql://") {
            if let problem = PostgresConnectionParameters.problem(with: string) {
                throw InvalidURL(reason: Self.redact(problem, in: string))
            }
            location = .postgres(url: string)
        } else {
            let scheme = string.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            throw InvalidURL(
                reason: "unsupported scheme '\(scheme.isEmpty ? string : scheme)':"
                    + " use sqlite:///absolute/path, sqlite://relative/path, postgres:// or postgresql://")
        }
    }

    /// The SQL dialect the database speaks.
    public var dialect: SQLDialect {
        switch location {
        case .postgres: .postgres
        case .sqlite: .sqlite
        }
    }

    /// The URL with its password replaced by `***`, safe to print and log.
    public var redacted: String {
        switch location {
        case .sqlite(let path):
            return "sqlite://\(path)"
        case .postgres(let url):
            let parts = PostgresURLParts(url)
            var text = parts.scheme + (parts.user.map { $0 + (parts.password == nil ? "" : ":***") + "@" } ?? "") + parts.rest
            if let query = parts.query {
                text += "?" + query.map { $0.name == "password" ? "password=***" : $0.raw }.joined(separator: "&")
            }
            return text
        }
    }

    public var description: String { redacted }

    /// Removes the URL's password from libpq's complaint about it, should libpq quote it.
    private static func redact(_ message: String, in url: String) -> String {
        PostgresURLParts(url).passwordForms.reduce(message) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// The password, whether in the authority (`user:password@`) or a `password=` parameter, decoded.
    public var password: String? {
        guard case .postgres(let url) = location else { return nil }
        let parts = PostgresURLParts(url)
        return (parts.password ?? parts.query?.first { $0.name == "password" }?.value).map(PostgresURLParts.decode)
    }
}

/// A `postgres://` URL cut into the pieces that matter for hiding its password, the way libpq reads
/// it: the user information ends at the first `@` before any `/`, the password after its first `:`.
/// Written by hand because Foundation's `URLComponents` gives up on a malformed percent escape (a
/// password with a stray `%`) and would leave such a password in the text.
private struct PostgresURLParts {
    /// `postgres://`
    var scheme: String
    var user: String?
    /// As written, percent escapes and all.
    var password: String?
    /// Hosts, ports and the database name.
    var rest: String
    var query: [(name: String, value: String, raw: String)]?

    init(_ url: String) {
        let schemeEnd = url.range(of: "://")?.upperBound ?? url.startIndex
        scheme = String(url[..<schemeEnd])
        var remainder = url[schemeEnd...]
        if let questionMark = remainder.firstIndex(of: "?") {
            query = remainder[remainder.index(after: questionMark)...].split(separator: "&").map { pair in
                let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(pieces[0]), pieces.count > 1 ? String(pieces[1]) : "", String(pair))
            }
            remainder = remainder[..<questionMark]
        }
        let authorityEnd = remainder.firstIndex(of: "/") ?? remainder.endIndex
        if let at = remainder[..<authorityEnd].firstIndex(of: "@") {
            let userInfo = remainder[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                user = String(userInfo[..<colon])
                password = String(userInfo[userInfo.index(after: colon)...])
            } else {
                user = String(userInfo)
            }
            remainder = remainder[remainder.index(after: at)...]
        }
        rest = String(remainder)
    }

    /// Every form in which a password may appear in a message: as written, and decoded.
    var passwordForms: [String] {
        let written = [password] + (query ?? []).filter { $0.name == "password" }.map(\.value)
        return written.compactMap { $0 }.filter { !$0.isEmpty }.flatMap { [$0, Self.decode($0)] }
    }

    /// Percent-decoded where the escapes are valid; as written otherwise.
    static func decode(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }
}
