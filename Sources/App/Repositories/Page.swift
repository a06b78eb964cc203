import Foundation
import TernDatabase

/// One page of a newest-first list (users, items): its rows, the total count, and whether more
/// rows follow it.
struct Page<Row: Sendable>: Sendable {
    var rows: [Row]
    var count: Int
    var hasMore: Bool
}

/// A row of a newest-first list (users, items), ordered by ``PagePosition/order``.
protocol ListedRow: Sendable {
    /// Where the row stands in its list: its creation time and id.
    var position: PagePosition { get }
}

extension Item: ListedRow {
    var position: PagePosition { PagePosition(createdAt: createdAt, id: id) }
}

extension User: ListedRow {
    var position: PagePosition { PagePosition(createdAt: createdAt, id: id) }
}

extension Page where Row: ListedRow {
    /// Where the next page starts: after this page's last row, when rows follow it.
    var nextPosition: PagePosition? {
        guard hasMore else { return nil }
        return rows.last?.position
    }
}

/// Where a page of a newest-first list starts: just after the row with this creation time and id.
///
/// A page that starts here seeks to it through the index on `(created_at, id)` (migration 0012),
/// where `OFFSET` would read and discard every row before the page.
struct PagePosition: Codable, Sendable, Equatable {
    /// Microseconds since 1970, the databases' precision: the row's timestamp exactly, where a
    /// `Date`'s binary fraction could land a microsecond off and skip or repeat a row.
    var microseconds: Int64?
    var id: UUID

    enum CodingKeys: String, CodingKey {
        case microseconds = "t"
        case id = "i"
    }

    init(createdAt: Date?, id: UUID) {
        self.microseconds = createdAt.map { Int64(($0.timeIntervalSince1970 * 1_000_000).rounded()) }
        self.id = id
    }

    /// The order every newest-first list uses: the order the position walks.
    static let order: SQL = "ORDER BY created_at DESC NULLS FIRST, id DESC"

    /// The rows after this position in ``order``. Rows without a timestamp come first, so after one
    /// of them come the rest of them and every row with a timestamp; after a timestamped row, the
    /// row comparison serves from the index on both databases.
    var rowsAfter: SQL {
        guard let microseconds else { return "((created_at IS NULL AND id < \(id)) OR created_at IS NOT NULL)" }
        let createdAt = Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
        return "(created_at, id) < (\(createdAt), \(id))"
    }
}
