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
            guard var components = URLComponents(string: url) else { return "postgres://***" }
            if components.password != nil { components.password = "***" }
            components.queryItems = components.queryItems?.map { item in
                item.name == "password" ? URLQueryItem(name: item.name, value: "***") : item
            }
            return components.string ?? "postgres://***"
        }
    }

    public var description: String { redacted }

    /// Removes the URL's password from libpq's complaint about it, should libpq quote it.
    private static func redact(_ message: String, in url: String) -> String {
        passwords(in: url).reduce(message) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// The password, whether in the authority (`user:password@`) or a `password=` parameter.
    public var password: String? {
        guard case .postgres(let url) = location else { return nil }
        return Self.passwords(in: url).first
    }

    /// Every non-empty password a URL carries, the authority's first, then `password=` parameters'.
    private static func passwords(in url: String) -> [String] {
        let components = URLComponents(string: url)
        let candidates = [components?.password] + (components?.queryItems ?? []).filter { $0.name == "password" }.map(\.value)
        return candidates.compactMap { $0 }.filter { !$0.isEmpty }
    }
}
