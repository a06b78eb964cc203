// The reference implementation of Argon2 (libargon2), reached from Swift through this system-library target.
#include <argon2.h>

// glibc's malloc_trim, with which the password hasher hands the heaps' free pages back to the system
// after a burst of hashes (Sources/TernAuth/FreeHeapPages.swift).
#if defined(__linux__)
#include <malloc.h>
#endif
