/// The name of a migration file: `VERSION_NAME.DIRECTION[.DIALECT].sql`, for example
/// `0001_create_user_and_item.up.sql` (both databases) or `0001_create_user_and_item.up.sqlite.sql`
/// (a SQLite variant, used instead of the shared file on SQLite).
struct MigrationFileName: Hashable {
    enum Direction: String {
        case up, down
    }

    let version: Int
    let name: String
    let direction: Direction
    /// The dialect a variant is for; `nil` for the file both databases share.
    let dialect: String?

    /// Parses a file name; `nil` when it is not a migration file name.
    init?(_ fileName: String) {
        guard fileName.hasSuffix(".sql") else { return nil }
        var parts = fileName.dropLast(".sql".count).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        dialect = parts.count == 3 ? String(parts.removeLast()) : nil
        guard let direction = Direction(rawValue: String(parts[1])) else { return nil }
        self.direction = direction
        let stem = parts[0]
        guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 0 else {
            return nil
        }
        let name = String(stem[stem.index(after: underscore)...])
        guard Self.isValidName(name) else { return nil }
        self.version = version
        self.name = name
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func id(version: Int, name: String) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + name
    }

    static func fileName(version: Int, name: String, direction: Direction) -> String {
        "\(id(version: version, name: name)).\(direction.rawValue).sql"
    }
}
