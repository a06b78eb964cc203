import Foundation
import Logging
import TernAPI
import TernPrimitives

/// Where the content of item attachments lives: one file per attachment under `UPLOADS_DIR`, named
/// by the attachment's id, never by the name a client gave it. File system calls block, so NIO's
/// thread pool makes them (``runInThreadPool(_:)``), not the request's task on a cooperative thread.
struct AttachmentStore: Sendable {
    let directory: String
    let logger: Logger

    func path(of id: UUID) -> String {
        "\(directory)/\(id.lowercasedString)"
    }

    /// Stores an upload as the content of attachment `id` (moved there when it was spooled to disk).
    func save(_ file: UploadFile, as id: UUID) async throws {
        try await runInThreadPool { [directory] in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try await file.save(to: path(of: id))
    }

    /// Deletes the content of these attachments; one already gone is no failure.
    func remove(_ ids: [UUID]) async {
        do {
            try await runInThreadPool { removeFiles(ids) }
        } catch {
            logger.warning("attachments' files were not deleted", metadata: ["attachments": "\(ids)", "error": "\(error)"])
        }
    }

    private func removeFiles(_ ids: [UUID]) {
        for id in ids {
            do {
                try FileManager.default.removeItem(atPath: path(of: id))
            } catch CocoaError.fileNoSuchFile {
            } catch {
                logger.warning("an attachment's file was not deleted", metadata: ["attachment": "\(id)", "error": "\(error)"])
            }
        }
    }
}
