import Foundation

/// A file attached to an item, as stored in the `item_attachment` table; its content is a file on
/// disk named by its id (see ``AttachmentStore``).
struct Attachment: Sendable, Decodable {
    let id: UUID
    let itemId: UUID
    let filename: String
    let contentType: String
    let size: Int
    let createdAt: Date
}
