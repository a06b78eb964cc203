import Foundation
import TernAPI

/// A file attached to an item, as the API answers it; `GET .../attachments/{attachment_id}`
/// downloads its content.
@Schema
struct AttachmentPublic {
    var id: UUID
    var itemId: UUID
    var filename: String
    var contentType: String
    var size: Int
    var createdAt: Date
}

extension AttachmentPublic {
    init(_ attachment: Attachment) {
        self.init(
            id: attachment.id, itemId: attachment.itemId, filename: attachment.filename, contentType: attachment.contentType,
            size: attachment.size, createdAt: attachment.createdAt)
    }
}

/// An item's attachments, oldest first.
@Schema
struct AttachmentsPublic {
    var data: [AttachmentPublic]
    var count: Int
}
