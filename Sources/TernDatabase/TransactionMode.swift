/// Whether a transaction may write.
///
/// Read-only transactions run concurrently on both databases. On SQLite, read-write transactions take
/// the single writer connection (`BEGIN IMMEDIATE`), so they run one at a time and never fail with
/// `SQLITE_BUSY` halfway through. On PostgreSQL a read-only transaction is `BEGIN READ ONLY`.
public enum TransactionMode: Sendable, Hashable {
    case readWrite
    case readOnly
}
