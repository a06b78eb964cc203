import CArgon2

/// Hands the free pages inside the allocator's heaps back to the system.
///
/// A burst of logins leaves megabytes free in the middle of glibc's heaps (the requests' buffers and
/// tasks, the hashing threads' own allocations). glibc returns only the top of a heap on its own;
/// `malloc_trim(0)` also releases every whole free page inside it. Measured with
/// `Benchmarks/run-memory`: on SQLite, 64 concurrent logins for 4 s left RSS 5 MiB above
/// idle 12 s later; trimmed, 1 MiB.
///
/// The hasher calls this on a hashing thread as a burst of hashes begins, before the first maps its
/// memory (what earlier traffic left free goes back first, so the burst's peak is what is in use plus
/// the hashes; it costs that hash milliseconds of its hundreds), and when the burst's last hash ends
/// (no request waits for it then). Elsewhere than glibc it does nothing.
enum FreeHeapPages {
    /// Returns whether there was an allocator to ask.
    @discardableResult
    static func release() -> Bool {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        return true
        #else
        return false
        #endif
    }
}
