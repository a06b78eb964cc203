// glibc's malloc_trim, which Swift's Glibc module leaves out: with it, a process hands the free pages
// inside its heaps back to the system (Sources/TernPrimitives/FreeHeapPages.swift).
#if defined(__linux__)
#include <malloc.h>
#endif
