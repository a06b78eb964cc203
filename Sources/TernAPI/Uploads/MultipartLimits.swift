import Foundation

/// What a `multipart/form-data` body may hold, besides its size (the route's, or the API's,
/// `maxBodySize`).
public struct MultipartLimits: Sendable {
    /// Files larger than this are written to a temporary file as they arrive instead of kept in
    /// memory (Starlette spools past 1 MiB too).
    public var spoolThreshold: Int
    /// The largest text field; a larger one is refused with 413.
    public var maxFieldSize: Int
    /// How many parts a body may have; more is refused with 413.
    public var maxParts: Int
    /// Where temporary files go.
    public var temporaryDirectory: String

    public init(spoolThreshold: Int = 1 << 20, maxFieldSize: Int = 1 << 20, maxParts: Int = 1000, temporaryDirectory: String? = nil) {
        self.spoolThreshold = spoolThreshold
        self.maxFieldSize = maxFieldSize
        self.maxParts = maxParts
        self.temporaryDirectory = temporaryDirectory ?? MultipartLimits.systemTemporaryDirectory
    }

    static var systemTemporaryDirectory: String {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        return directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }
}
