import Foundation

/// Where one migration stands, as `api migrate status` shows it.
public struct MigrationStatus: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        /// Applied, and the file is unchanged.
        case applied(at: Date)
        /// Not applied yet.
        case pending
        /// Applied, but the file changed since.
        case edited(appliedAt: Date)
        /// Applied, but the file is gone.
        case fileMissing(appliedAt: Date)
    }

    public let version: Int
    public let name: String
    public let state: State

    /// `0001_create_user_and_item`.
    public var id: String { MigrationFileName.id(version: version, name: name) }
}
