import Foundation
import HTTPTypes
import Hummingbird

/// A folder whose files are served as they are (Starlette's `StaticFiles`): a route with a
/// catch-all parameter hands it the rest of the path, and gets a ``FileResponse`` with caching
/// headers, or `404`:
///
/// ```swift
/// @GET("/static/{file_path:path}")
/// func staticFile(_ input: StaticFileInput) throws -> FileResponse {
///     try files.file(at: input.filePath)
/// }
/// ```
///
/// Only regular files inside the folder are served: no `..`, no hidden files or folders (a `.env`,
/// a `.git`), no symbolic link that leads out of the folder.
public struct StaticFiles: Sendable {
    /// The folder, its symbolic links resolved.
    public let directory: String
    /// `Cache-Control` of every file.
    public var cacheControl: String

    /// - Parameters:
    ///   - directory: the folder, relative to the working directory or absolute.
    ///   - cacheControl: how long browsers and proxies keep a file before asking again (304s make
    ///     asking cheap).
    public init(directory: String, cacheControl: String = "public, max-age=3600") {
        self.directory = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        self.cacheControl = cacheControl
    }

    /// The file at `relativePath` in the folder, or `404`.
    public func file(at relativePath: String) throws -> FileResponse {
        guard let path = resolve(relativePath) else { throw APIError(.notFound, "Not Found") }
        return FileResponse(path: path, headers: [.cacheControl: cacheControl])
    }

    /// The file's path on disk, if `relativePath` names one inside the folder that may be served.
    func resolve(_ relativePath: String) -> String? {
        let segments = relativePath.split(separator: "/", omittingEmptySubsequences: true)
        guard !segments.isEmpty,
            segments.allSatisfy({ !$0.hasPrefix(".") && !$0.contains("\\") && !$0.contains("\0") })
        else { return nil }
        let candidate = URL(fileURLWithPath: directory).appendingPathComponent(segments.joined(separator: "/"))
            .resolvingSymlinksInPath().path
        guard candidate.hasPrefix(directory + "/") else { return nil }
        return candidate
    }
}

extension Router {
    /// Serves the folder's files under `prefix`, outside the API and its docs: FastAPI's
    /// `app.mount("/static", StaticFiles(directory: "static"))`. `GET /static/css/site.css` answers
    /// the folder's `css/site.css`.
    public func mount(_ files: StaticFiles, at prefix: String) {
        get(RouterPath(prefix.hasSuffix("/") ? prefix + "**" : prefix + "/**")) { request, context in
            let caught = context.parameters.getCatchAll().joined(separator: "/")
            let path = caught.removingPercentEncoding ?? caught
            return try await files.file(at: path).encoded(for: request).response()
        }
    }
}
