"""Counts what calls `swift_task_switch`, from `perf script --show-mmap-events` output of a recording
of the uprobe `profile-api` adds (PERF=task-switches), and prints the calls per request by caller.

The runtime function is reached by a tail call, so its caller is not on the stack. Its first argument
names the caller instead: the resume function of the async function that is switching, looked up
here in the binary's own symbol table. Usage: task-switches.py BINARY REQUESTS < perf-script-output
"""
import bisect
import collections
import re
import subprocess
import sys

binary, requests = sys.argv[1], int(sys.argv[2])

# Where the binary's executable segment was mapped, and the segment's address in the file.
mapping = None
counts = collections.Counter()
for line in sys.stdin:
    if 'PERF_RECORD_MMAP' in line and line.rstrip().endswith(binary) and 'r-xp' in line:
        start, length, offset = re.search(r'\[(0x[0-9a-f]+)\((0x[0-9a-f]+)\) @ (0x[0-9a-f]+)', line).groups()
        mapping = (int(start, 16), int(length, 16), int(offset, 16))
    elif (match := re.search(r' fn=(0x[0-9a-f]+)', line)):
        counts[int(match.group(1), 16)] += 1
if mapping is None:
    sys.exit(f'no executable mapping of {binary} in the recording')

# A file offset's virtual address: the executable LOAD segment says how far apart the two are.
segments = subprocess.run(['readelf', '-lW', binary], capture_output=True, text=True, check=True).stdout
delta = 0
for line in segments.splitlines():
    fields = line.split()
    if fields[:1] == ['LOAD'] and 'E' in fields[6:-1]:
        delta = int(fields[2], 16) - int(fields[1], 16)
symbols = []
for line in subprocess.run(['nm', '-n', '--defined-only', binary], capture_output=True, text=True).stdout.splitlines():
    fields = line.split()
    if len(fields) == 3 and fields[1] in 'tT':
        symbols.append((int(fields[0], 16), fields[2]))
addresses = [address for address, _ in symbols]

by_name = collections.Counter()
start, length, offset = mapping
for pointer, count in counts.items():
    if start <= pointer < start + length:
        index = bisect.bisect_right(addresses, pointer - start + offset + delta) - 1
        by_name[symbols[index][1] if index >= 0 else '?'] += count
    else:
        by_name['(in a shared library: the Swift runtime or Foundation)'] += count
names = list(by_name)
demangled = subprocess.run(['swift', 'demangle', '--simplified'], input='\n'.join(names), capture_output=True,
                           text=True).stdout.splitlines()
total = sum(by_name.values())
print(f'swift_task_switch calls per request: {total / requests:.1f} ({total} over {requests} requests)')
print('By the async function switching (its resume function), per request:')
merged = collections.Counter()
for name, readable in zip(names, demangled):
    merged[readable] += by_name[name]
for readable, count in merged.most_common(30):
    print(f'  {count / requests:6.2f}  {readable[:130]}')
