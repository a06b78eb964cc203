import Foundation
import TernAPI

@Input
struct ItemAttachmentsInput {
    @Path var id: UUID
    @Depends var attachments: AttachmentService
}

@Input
struct AttachmentByIdInput {
    @Path var id: UUID
    @Path var attachmentId: UUID
    @Depends var attachments: AttachmentService
}

@Input
struct AttachFileInput {
    @Path var id: UUID
    @Form var file: UploadFile
    @Depends var attachments: AttachmentService
}

/// Files attached to items (tag `items`): uploaded as `multipart/form-data`, streamed to disk as
/// they arrive, downloaded with ranges and caching headers, deleted with their item. Included with
/// `MAX_UPLOAD_SIZE` as its body limit.
@APIRouter(prefix: "/items", tags: ["items"])
struct AttachmentsRouter {
    /// List an item's attachments.
    @GET("/{id}/attachments", errors: ItemError.allCases, scopes: [.itemsRead])
    func readAttachments(_ input: ItemAttachmentsInput) async throws -> AttachmentsPublic {
        let attachments = try await input.attachments.list(item: input.id)
        return AttachmentsPublic(data: attachments.map(AttachmentPublic.init), count: attachments.count)
    }

    /// Attach a file to an item.
    @POST("/{id}/attachments", status: .created, errors: ItemError.allCases, scopes: [.itemsWrite])
    func createAttachment(_ input: AttachFileInput) async throws -> AttachmentPublic {
        AttachmentPublic(try await input.attachments.attach(input.file, to: input.id))
    }

    /// Download an attachment.
    @GET("/{id}/attachments/{attachment_id}", errors: ItemError.allCases + AttachmentError.allCases, scopes: [.itemsRead])
    func readAttachment(_ input: AttachmentByIdInput) async throws -> FileResponse {
        let (attachment, path) = try await input.attachments.find(input.attachmentId, item: input.id)
        return FileResponse(path: path, contentType: attachment.contentType, downloadName: attachment.filename)
    }

    /// Delete an attachment.
    @DELETE("/{id}/attachments/{attachment_id}", errors: ItemError.allCases + AttachmentError.allCases, scopes: [.itemsWrite])
    func deleteAttachment(_ input: AttachmentByIdInput) async throws -> Message {
        try await input.attachments.delete(input.attachmentId, item: input.id)
        return Message(message: "Attachment deleted successfully")
    }
}
