"""Where a process's resident memory is, from /proc/PID/smaps, in MiB: its executable, the shared
libraries, glibc's malloc heaps, thread stacks, and the rest of its anonymous memory (the password
hashes' blocks among it).

Usage: python3 Benchmarks/rss_breakdown.py PID [LABEL]   (Benchmarks/run-memory prints it with BREAKDOWN=1)

glibc's secondary heaps are anonymous mappings aligned to their 64 MiB maximum (HEAP_MAX_SIZE on
64-bit) and smaller than it, the rest of the 64 MiB reserved without access; a thread stack is an
8 MiB mapping (the default stack size). Both are told by the mapping's address and size, which smaps
does not name. A hash's 64 MiB of blocks, aligned by chance, is not a heap: it is the full 64 MiB.
"""
import os
import sys

HEAP_ALIGNMENT = 64 << 20
STACK_KIB = 8192


def mappings(pid):
    """Yields (start address, size in KiB, path or '', Rss in KiB) for each mapping."""
    current = None
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            fields = line.split()
            if not fields[0].endswith(":"):
                if current:
                    yield current
                start, end = (int(address, 16) for address in fields[0].split("-"))
                current = [start, (end - start) // 1024, fields[5] if len(fields) > 5 else "", 0]
            elif fields[0] == "Rss:":
                current[3] = int(fields[1])
    if current:
        yield current


def kind(start, size_kib, path, executable):
    if path == executable:
        return "executable"
    if path.startswith("/"):
        return "libraries"
    if path == "[heap]" or (not path and start % HEAP_ALIGNMENT == 0 and size_kib < HEAP_ALIGNMENT // 1024):
        return "malloc heaps"
    if path == "[stack]" or (not path and size_kib == STACK_KIB):
        return "thread stacks"
    return "other anonymous"


def breakdown(pid):
    executable = os.path.realpath(f"/proc/{pid}/exe")
    totals = {}
    for start, size_kib, path, rss_kib in mappings(pid):
        name = kind(start, size_kib, path, executable)
        totals[name] = totals.get(name, 0) + rss_kib
    return totals


if __name__ == "__main__":
    totals = breakdown(sys.argv[1])
    label = sys.argv[2] if len(sys.argv) > 2 else ""
    order = ["executable", "libraries", "malloc heaps", "thread stacks", "other anonymous"]
    parts = ", ".join(f"{name} {totals.get(name, 0) / 1024:.1f}" for name in order)
    print(f"{label:<17}RSS {sum(totals.values()) / 1024:.1f} MiB: {parts}")
