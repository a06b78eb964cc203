import Foundation
import OpenAPIRuntime

/// Reads and writes the timestamps a Tern server sends: ISO 8601 in UTC, with microseconds when the
/// time has a fraction (`2026-12-03T17:47:18.123456Z`) and without when it has none
/// (`2026-12-03T17:47:18Z`), as pydantic writes them.
///
/// OpenAPIRuntime's default transcoder accepts only the second form, and its
/// `.iso8601WithFractionalSeconds` only the first, so a client of a Tern server passes this one:
///
/// ```swift
/// let client = Client(
///     serverURL: url,
///     configuration: Configuration(dateTranscoder: TernDateTranscoder()),
///     transport: URLSessionTransport()
/// )
/// ```
public struct TernDateTranscoder: DateTranscoder {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let wholeSeconds = Date.ISO8601FormatStyle()

    /// Creates the transcoder.
    public init() {}

    /// Writes the date with its fraction, which the server reads as it reads its own output.
    public func encode(_ date: Date) throws -> String {
        date.formatted(Self.withFraction)
    }

    /// Reads a timestamp with or without a fraction of a second.
    public func decode(_ text: String) throws -> Date {
        if let date = try? Self.withFraction.parse(text) { return date }
        if let date = try? Self.wholeSeconds.parse(text) { return date }
        throw DecodingError.dataCorrupted(
            .init(codingPath: [], debugDescription: "Expected an ISO 8601 timestamp, got '\(text)'.")
        )
    }
}
