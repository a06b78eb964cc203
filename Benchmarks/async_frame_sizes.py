"""The size of each async function's frame in a Swift binary, largest first: what a task's allocator
sets aside for one call while it is suspended.

Usage: python3 Benchmarks/async_frame_sizes.py BINARY [NAME_CONTAINS] [COUNT]
       python3 Benchmarks/async_frame_sizes.py .build/release/api Middleware 20

Every async function has an "async function pointer" (mangled suffix `Tu`): a 32-bit relative
offset to its code, then the 32-bit size of its context, the frame its caller allocates from the
task's slabs before the call. A task keeps its slabs until it ends, 1,000 bytes at least each, and
Hummingbird serves a connection in one task, so the frames on a request's deepest path are what
each open connection holds (Benchmarks/README.md, "What a login burst leaves"). Needs readelf, nm
and the toolchain's `swift demangle`.
"""
import struct
import subprocess
import sys


def loaded_sections(binary):
    """(address, file offset, size, has bits) of each section that is loaded."""
    sections = []
    output = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) < 7 or not fields[0].startswith("["):
            continue
        try:
            address, offset, size = (int(field, 16) for field in fields[3:6])
        except ValueError:
            continue
        if address:
            sections.append((address, offset, size, fields[2] != "NOBITS"))
    return sections


def file_offset(sections, address):
    for start, offset, size, has_bits in sections:
        if start <= address < start + size:
            return address - start + offset if has_bits else None
    return None


def frame_sizes(binary):
    """(frame size in bytes, mangled name of the async function pointer) for each one defined."""
    sections = loaded_sections(binary)
    with open(binary, "rb") as file:
        data = file.read()
    symbols = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    for line in symbols.splitlines():
        address, _, name = line.split(" ", 2)
        if not name.endswith("Tu"):
            continue
        offset = file_offset(sections, int(address, 16))
        if offset is not None:
            _, size = struct.unpack_from("<iI", data, offset)
            yield size, name


def main():
    binary = sys.argv[1]
    contains = sys.argv[2] if len(sys.argv) > 2 else ""
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    sizes = list(frame_sizes(binary))
    demangled = subprocess.run(
        ["swift", "demangle", "--simplified"], input="\n".join(name for _, name in sizes), capture_output=True, text=True,
        check=True).stdout.splitlines()
    prefix = "async function pointer to "
    named = [(size, name.removeprefix(prefix)) for (size, _), name in zip(sizes, demangled) if contains in name]
    for size, name in sorted(named, reverse=True)[:count]:
        print(f"{size:6d}  {name}")


if __name__ == "__main__":
    main()
