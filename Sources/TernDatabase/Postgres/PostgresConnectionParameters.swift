import CLibPQ
import Foundation

/// The libpq parameters of a PostgreSQL connection: the URL as given, plus defaults it may override.
struct PostgresConnectionParameters: Sendable {
    /// A `postgres://` or `postgresql://` URL, passed to libpq as it is.
    let url: String
    /// Seconds libpq waits for a connection before giving up, unless the URL sets `connect_timeout`.
    let connectTimeoutSeconds: Int

    /// Checks the URL with libpq's own parser, without connecting; returns its complaint, if any.
    static func problem(with url: String) -> String? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &errorMessage) else {
            defer { PQfreemem(errorMessage) }
            return errorMessage.map { String(cString: $0).trimmingCharacters(in: .newlines) }
                ?? "not a valid PostgreSQL URL"
        }
        PQconninfoFree(options)
        return nil
    }

    /// Connects (blocking). Keywords before `dbname` are defaults the URL overrides; keywords after it
    /// override the URL.
    func connect() -> OpaquePointer? {
        let keywords = ["connect_timeout", "fallback_application_name", "dbname", "client_encoding"]
        let values = [String(connectTimeoutSeconds), "tern", url, "UTF8"]
        return withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let duplicates = strings.map { strdup($0) }
    defer { for duplicate in duplicates { free(duplicate) } }
    let pointers = duplicates.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
