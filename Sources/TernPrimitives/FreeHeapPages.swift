#if canImport(Glibc)
import CMalloc
#endif

/// Hands the free pages inside the allocator's heaps back to the system.
///
/// glibc returns only the top of a heap on its own; what is freed in the middle stays resident.
/// `malloc_trim(0)` also releases every whole free page inside the heaps. Two moments leave many such
/// pages behind:
/// - starting up (settings, the routes and their schemas, the first database connections): `api serve`
///   idle on SQLite went from 10.2 to 7.3 MiB of anonymous memory once trimmed after it started;
/// - a burst of logins (the requests' buffers and tasks, the hashing threads' own allocations): on
///   SQLite, 64 concurrent logins for 4 s left RSS 5 MiB above idle 12 s later; trimmed, 1 MiB
///   (`Benchmarks/run-memory`). The password hasher calls this on a hashing thread as a burst of
///   hashes begins, before the first maps its memory, and when the burst's last hash ends.
///
/// It walks every heap, so it costs milliseconds: call it when no request waits for it. Elsewhere
/// than glibc it does nothing.
public enum FreeHeapPages {
    /// Returns whether there was an allocator to ask.
    @discardableResult
    public static func release() -> Bool {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        return true
        #else
        return false
        #endif
    }
}
