import Foundation
import TernAPI
import TernDatabase

/// The rules of attachments: they follow their item's. Whoever may read an item lists and downloads
/// its attachments; whoever may change it attaches and deletes them.
@Input
struct AttachmentService: InputDependency {
    @Depends var session: DatabaseSession
    @Depends var items: ItemService
    @Depends var app: AppServices
    let attachments = AttachmentRepository()

    func list(item: UUID) async throws -> [Attachment] {
        _ = try await items.read(id: item)
        return try await attachments.list(item: item, on: session)
    }

    /// The attachment and where its content is.
    func find(_ id: UUID, item: UUID) async throws -> (attachment: Attachment, path: String) {
        _ = try await items.read(id: item)
        guard let attachment = try await attachments.find(id: id, item: item, on: session) else { throw AttachmentError.notFound }
        return (attachment, app.attachmentStore.path(of: id))
    }

    /// Stores the file, then its row; the file goes again when the row does not make it.
    func attach(_ file: UploadFile, to item: UUID) async throws -> Attachment {
        _ = try await items.modifiable(id: item)
        let attachment = Attachment(
            id: UUID(), itemId: item, filename: Self.displayName(file.filename),
            contentType: file.contentType ?? "application/octet-stream",
            size: file.size, createdAt: Date())
        let store = app.attachmentStore
        try await store.save(file, as: attachment.id)
        do {
            try await attachments.insert(attachment, on: session)
        } catch {
            await store.remove([attachment.id])
            throw error
        }
        return attachment
    }

    func delete(_ id: UUID, item: UUID) async throws {
        _ = try await items.modifiable(id: item)
        guard try await attachments.delete(id: id, item: item, on: session) else { throw AttachmentError.notFound }
        await session.afterCommit { [store = app.attachmentStore] in await store.remove([id]) }
    }

    /// The name shown and offered for download: the client's, without any folders, at most 255
    /// characters.
    static func displayName(_ filename: String?) -> String {
        let base = (filename ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let trimmed = base.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "file" : String(trimmed.prefix(255))
    }
}
