import Foundation

/// An item, as stored in the `item` table; it belongs to one user.
struct Item: Sendable, Decodable {
    let id: UUID
    var title: String
    var description: String?
    let ownerId: UUID
    let createdAt: Date?
}
