"""Folds `perf script` output into one line per stack ("root;...;leaf count"), the input of flame
graph tools (speedscope, inferno, FlameGraph's flamegraph.pl). Reads stdin, writes stdout."""
import collections
import sys

stacks = collections.Counter()
frames = []
for line in sys.stdin:
    line = line.rstrip('\n')
    if not line.strip():
        if frames:
            stacks[';'.join(reversed(frames))] += 1
        frames = []
    elif line.startswith(('\t', ' ')):
        # "    7f1c2a3b symbol+0x12 (/path/to/dso)": keep the symbol, without its offset.
        parts = line.strip().split(' ', 1)
        symbol = parts[1].rsplit(' (', 1)[0] if len(parts) > 1 else parts[0]
        frames.append(symbol.rsplit('+0x', 1)[0].replace(';', ','))
if frames:
    stacks[';'.join(reversed(frames))] += 1
for stack, count in stacks.most_common():
    print(f'{stack} {count}')
