import TernDatabase

/// One versioned change to the schema: the SQL that applies it and the SQL that undoes it, as read
/// from `Migrations/` for one dialect.
public struct Migration: Sendable, Hashable {
    /// Orders migrations; unique within a folder.
    public let version: Int
    /// The descriptive part of the file name (`create_user_and_item`).
    public let name: String
    /// Applies the change.
    public let up: SQLScript
    /// Undoes the change.
    public let down: SQLScript
    /// SHA-256 of ``up``, recorded when applied, so an edited file is noticed.
    public let checksum: String
    /// SHA-256 of ``down``, recorded when applied: the SQL a revert runs is the SQL reviewed with it.
    public let downChecksum: String

    /// `0001_create_user_and_item`: how the migration is named in messages and file names.
    public var id: String { MigrationFileName.id(version: version, name: name) }
}
