import Foundation
import HTTPTypes
import NIOFileSystem
import TernPrimitives

/// What identifies one version of a file for HTTP caching and ranges: its size and modification
/// time, as `ETag` and `Last-Modified`, and the conditional headers read against them.
struct FileVersion: Equatable {
    let size: Int
    let modified: FileInfo.Timespec

    /// A strong tag, as nginx makes them: a file rewritten within the same nanosecond with the same
    /// size is the one case it misses.
    var entityTag: String {
        "\"\(String(size, radix: 16))-\(String(modified.seconds, radix: 16)).\(String(modified.nanoseconds, radix: 16))\""
    }

    var modificationDate: Date {
        Date(timeIntervalSince1970: TimeInterval(modified.seconds))
    }

    /// Whether a `GET` may answer `304`: `If-None-Match` holds the tag (compared weakly), or, when
    /// there is no `If-None-Match`, the file is no newer than `If-Modified-Since` (to the second).
    func isNotModified(for headers: HTTPFields) -> Bool {
        let ifNoneMatch = headers[values: .ifNoneMatch]
        if !ifNoneMatch.isEmpty { return HTTPCachePolicy.matches(entityTag, ifNoneMatch) }
        guard let since = headers[.ifModifiedSince].flatMap(HTTPDate.parse) else { return false }
        return modificationDate <= since
    }

    /// The one byte range asked for, or `nil` for the whole file: no `Range`, one this server does
    /// not read (another unit, several ranges, bad syntax, which the RFC says to ignore), or an
    /// `If-Range` that names another version (compared strongly, a date only as the exact
    /// `Last-Modified`). Throws `416` for a range that starts past the end.
    func requestedRange(in headers: HTTPFields) throws -> ClosedRange<Int>? {
        guard let value = headers[.range], let spec = ByteRangeSpec(value) else { return nil }
        if let ifRange = headers[.ifRange]?.trimmingWhitespaces() {
            let sameVersion = ifRange.hasPrefix("\"") ? ifRange == entityTag : ifRange == HTTPDate.format(modificationDate)
            guard sameVersion else { return nil }
        }
        guard let range = spec.resolved(size: size) else {
            throw APIError(.rangeNotSatisfiable, "Range Not Satisfiable", headers: [.contentRange: "bytes */\(size)"])
        }
        return range
    }
}

/// One `bytes=` range: `first-last`, `first-` or `-suffixLength`.
struct ByteRangeSpec: Equatable {
    let first: Int?
    let last: Int?

    init?(_ header: String) {
        let value = header.trimmingWhitespaces()
        guard value.lowercased().hasPrefix("bytes="), !value.contains(",") else { return nil }
        let bounds = value.dropFirst("bytes=".count).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2 else { return nil }
        let (first, last) = (bounds[0].trimmingWhitespaces(), bounds[1].trimmingWhitespaces())
        guard first.allSatisfy(\.isASCII), last.allSatisfy(\.isASCII) else { return nil }
        self.first = first.isEmpty ? nil : Int(first)
        self.last = last.isEmpty ? nil : Int(last)
        switch (self.first, self.last, first.isEmpty, last.isEmpty) {
        case (nil, nil, _, _): return nil  // "-" or numbers that do not parse
        case (.some(let a), .some(let b), _, _) where b < a: return nil
        case (nil, _, false, _), (_, nil, _, false): return nil
        default: break
        }
    }

    /// The bytes it names in a file of `size` bytes, the end clamped to the file's; `nil` when none
    /// of them exists (a start past the end, an empty suffix, an empty file).
    func resolved(size: Int) -> ClosedRange<Int>? {
        switch (first, last) {
        case (let first?, let last):
            guard first < size else { return nil }
            return first...min(last ?? (size - 1), size - 1)
        case (nil, let suffix?):
            guard suffix > 0, size > 0 else { return nil }
            return max(0, size - suffix)...(size - 1)
        case (nil, nil):
            return nil
        }
    }
}
