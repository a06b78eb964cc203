/// Why migrations cannot run; each message says what to do about it.
public enum MigrationError: Error, CustomStringConvertible {
    /// The migrations folder does not exist.
    case directoryNotFound(path: String)
    /// A `.sql` file in the folder is not named like a migration.
    case badFileName(String)
    /// Two migrations share a version number.
    case duplicateVersion(Int, [String])
    /// A migration lacks its up or down file for the dialect.
    case missingFile(migration: String, direction: String, dialect: String)
    /// Applied migrations whose file changed since they were applied.
    case edited([String])
    /// Applied migrations whose files are gone.
    case missingApplied([String])
    /// A migration failed and was rolled back.
    case failed(migration: String, direction: String, underlying: any Error)
    /// `migrate create` was given a name that cannot be a file name.
    case badName(String)

    public var description: String {
        switch self {
        case .directoryNotFound(let path):
            "migrations folder '\(path)' not found: run from the project root or set MIGRATIONS_DIR"
        case .badFileName(let file):
            "'\(file)' is not a migration file name: expected VERSION_NAME.up.sql or VERSION_NAME.down.sql"
                + " (optionally VERSION_NAME.up.postgres.sql / .up.sqlite.sql), NAME in lowercase letters, digits and _"
        case .duplicateVersion(let version, let files):
            "version \(version) is used by more than one migration: \(files.joined(separator: ", "))"
        case .missingFile(let migration, let direction, let dialect):
            "migration \(migration) has no \(direction) file for \(dialect)"
        case .edited(let ids):
            "applied migration\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", ")) changed after being applied"
                + " (checksum differs from the one recorded): restore the file and put the change in a new migration"
        case .missingApplied(let ids):
            "applied migration\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", ")) no longer ha\(ids.count == 1 ? "s a" : "ve") file"
                + " in the migrations folder: restore the file\(ids.count == 1 ? "" : "s")"
        case .failed(let migration, let direction, let underlying):
            "migration \(migration) (\(direction)) failed and was rolled back: \(underlying)"
        case .badName(let name):
            "'\(name)' cannot name a migration: use letters, digits, spaces, - or _"
        }
    }
}
